"""Send every published language version that the Ministry does not have yet (the backlog,
or whatever failed), with a progress bar. Unchanged products are skipped in milliseconds."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cms.products.models import ProductPage

from ...conf import delivery_settings
from ...contents import build_package
from ...delivery import prepare_record, send
from ...exceptions import DeliveryError, NotConfigured
from ...metadata import KINDS
from ...models import DeliveryRecord
from ...s3_upload import make_client

State = DeliveryRecord.State


class Command(BaseCommand):
    help = "Gửi các sản phẩm đã xuất bản (mọi phiên bản ngôn ngữ) về cơ sở dữ liệu quốc gia."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=sorted(KINDS.values()),
                            help="Chỉ gửi một loại sản phẩm.")
        parser.add_argument("--language", help="Chỉ gửi một ngôn ngữ (mã, ví dụ vi, en).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Chỉ liệt kê những gói sẽ gửi, không gửi.")
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ.")

    def handle(self, *args, kind=None, language=None, dry_run=False, no_progress=False,
               **options):
        conf = delivery_settings()
        if not conf.configured:
            raise CommandError(str(NotConfigured.message))
        pages = ProductPage.objects.live().select_related("locale").order_by("pk")
        if language:
            pages = pages.filter(locale__language_code=language)
        if kind:
            model = next(m for m, code in KINDS.items() if code == kind)
            pages = pages.type(model)
        client = make_client(conf)
        counts = {"sent": 0, "unchanged": 0, "pending": 0}
        failures: list[tuple[str, DeliveryError]] = []
        with tqdm(total=pages.count(), desc="Gửi gói về Bộ", unit="gói",
                  disable=no_progress) as bar:
            for page in pages.specific().iterator(chunk_size=50):
                self.deliver_one(page, conf, client, dry_run, counts, failures)
                bar.update(1)
                bar.set_postfix(gui=counts["sent"], loi=len(failures))
        self.report(counts, failures, dry_run)

    def deliver_one(self, page, conf, client, dry_run, counts, failures) -> None:
        try:
            package = build_package(page)
            record = prepare_record(package, conf, client)
            if record.state == State.DELIVERED:
                counts["unchanged"] += 1
            elif dry_run:
                counts["pending"] += 1
                self.stdout.write(f"  sẽ gửi: {record.key}")
            elif send(record, package, conf, client).sent:
                counts["sent"] += 1
            else:
                counts["pending"] += 1  # another worker holds it
        except DeliveryError as exc:  # recorded on the delivery record; reported below
            failures.append((f"{page.identifier}/{page.locale.language_code}", exc))

    def report(self, counts, failures, dry_run) -> None:
        if dry_run:
            self.stdout.write(f"Sẽ gửi {counts['pending']} gói; {counts['unchanged']} gói "
                              "đã gửi và không đổi.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"Đã gửi {counts['sent']} gói; {counts['unchanged']} gói không đổi, bỏ qua; "
            f"{counts['pending']} gói đang được tiến trình khác gửi."))
        for name, exc in failures:
            self.stderr.write(f"  {name}: {exc.message} {exc.detail[:200]}")
        if failures:
            raise CommandError(f"{len(failures)} gói gửi lỗi (xem danh sách ở trên và trong "
                               "trang quản trị “Gửi về Bộ”).")
