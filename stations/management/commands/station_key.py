"""Issue, rotate or revoke a station's access key from the command line."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stations.models import Station


class Command(BaseCommand):
    help = _("Cấp mới (thay) hoặc thu hồi khóa truy cập của một đài.")

    def add_arguments(self, parser):
        parser.add_argument("station", help=_("số hoặc tên đài"))
        parser.add_argument("--revoke", action="store_true", help=_("thu hồi khóa"))

    def handle(self, *args, station: str, revoke: bool, **options):
        found = Station.objects.filter(pk=int(station)) if station.isdigit() else \
            Station.objects.filter(name=station)
        target = found.first()
        if target is None:
            raise CommandError(_("Không tìm thấy đài «%(station)s».") % {"station": station})
        if revoke:
            target.revoke_key()
            self.stdout.write(_("Đã thu hồi khóa của «%(name)s».") % {"name": target.name})
        else:
            self.stdout.write(_("Khóa mới của «%(name)s» (chỉ hiện một lần): %(key)s")
                              % {"name": target.name, "key": target.rotate_key()})
