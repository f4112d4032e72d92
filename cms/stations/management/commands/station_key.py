"""Issue, rotate or revoke a station's access key from the command line."""

from django.core.management.base import BaseCommand, CommandError

from cms.stations.models import Station


class Command(BaseCommand):
    help = "Cấp mới (thay) hoặc thu hồi khóa truy cập của một đài."

    def add_arguments(self, parser):
        parser.add_argument("station", help="số hoặc tên đài")
        parser.add_argument("--revoke", action="store_true", help="thu hồi khóa")

    def handle(self, *args, station: str, revoke: bool, **options):
        found = Station.objects.filter(pk=int(station)) if station.isdigit() else \
            Station.objects.filter(name=station)
        target = found.first()
        if target is None:
            raise CommandError(f"Không tìm thấy đài «{station}».")
        if revoke:
            target.revoke_key()
            self.stdout.write(f"Đã thu hồi khóa của «{target.name}».")
        else:
            self.stdout.write(f"Khóa mới của «{target.name}» (chỉ hiện một lần): "
                              f"{target.rotate_key()}")
