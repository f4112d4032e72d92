"""Send every published language version that the Ministry does not have yet (the backlog,
or whatever failed) and the withdrawal notices not sent yet, with a progress bar. Unchanged
products are skipped in milliseconds. ``--due``: only the automatic retries whose time has
come (run every minute by the scheduler)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from tqdm import tqdm

from cms.products.models import ProductPage

from ...conf import delivery_settings
from ...contents import build_package, source_stamp
from ...delivery import live_product, prepare_record, send
from ...exceptions import DeliveryError, NotConfigured
from ...metadata import KINDS
from ...models import DeliveryRecord
from ...retries import due_records
from ...s3_upload import make_client
from ...tasks import send_again

State = DeliveryRecord.State


class Command(BaseCommand):
    help = _("Gửi các sản phẩm đã xuất bản (mọi phiên bản ngôn ngữ) về cơ sở dữ liệu quốc gia.")

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=sorted(KINDS.values()),
                            help=_("Chỉ gửi một loại sản phẩm."))
        parser.add_argument("--language", help=_("Chỉ gửi một ngôn ngữ (mã, ví dụ vi, en)."))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Chỉ liệt kê những gói sẽ gửi, không gửi."))
        parser.add_argument("--no-progress", action="store_true",
                            help=_("Không hiện thanh tiến độ."))
        parser.add_argument("--workers", type=int, default=None,
                            help=_("Số gói gửi song song (mặc định LOA_DELIVERY_WORKERS, 2)."))
        parser.add_argument("--due", action="store_true",
                            help=_("Chỉ gửi lại những lần gửi lỗi tạm thời đã đến hạn tự thử lại "
                                 "(chạy mỗi phút cùng publish_scheduled)."))
        parser.add_argument("--full", action="store_true",
                            help=_("Lập lại đầy đủ kế hoạch gói cho mọi sản phẩm (không dựa vào "
                                 "dấu tóm tắt), ví dụ sau khi sửa danh mục chủ đề."))

    def handle(self, *args, kind=None, language=None, dry_run=False, no_progress=False,
               full=False, workers=None, due=False, **options):
        conf = delivery_settings()
        if due:
            return self.send_due(conf) if conf.configured else None  # nothing can be due
        if not conf.configured:
            raise CommandError(str(NotConfigured.message))
        pages = ProductPage.objects.live().select_related("locale").order_by("pk")
        if language:
            pages = pages.filter(locale__language_code=language)
        if kind:
            model = next(m for m, code in KINDS.items() if code == kind)
            pages = pages.type(model)
        delivered = {} if full else delivered_stamps()
        counts = {"sent": 0, "unchanged": 0, "pending": 0}
        failures: list[tuple[str, DeliveryError]] = []
        workers = max(1, workers or conf.workers)
        with tqdm(total=pages.count(), desc=_("Gửi gói về Bộ"), unit=_("gói"),
                  disable=no_progress) as bar:
            todo = []
            for page in pages.specific().iterator(chunk_size=100):
                key = (page.identifier, page.locale.language_code)
                stamp = source_stamp(page)
                if delivered.get(key) == stamp:  # unchanged since delivered: no plan needed
                    counts["unchanged"] += 1
                    bar.update(1)
                else:
                    todo.append((page.pk, stamp))
            client = make_client(conf) if todo else None  # an unchanged run needs none
            for outcome, name, error in self.run_all(todo, workers, conf, client, dry_run):
                if error is not None:
                    failures.append((name, error))
                else:
                    counts[outcome] += 1
                bar.update(1)
                bar.set_postfix(gui=counts["sent"], loi=len(failures))
        self.send_withdrawals(counts, failures, kind, language, dry_run)
        self.report(counts, failures, dry_run)

    def send_withdrawals(self, counts, failures, kind, language, dry_run) -> None:
        """Withdrawal notices not sent yet (delivery was off, or they failed). A ``--kind``
        run leaves them out: a deleted product's kind is no longer known."""
        if kind:
            return
        pending = DeliveryRecord.objects.filter(kind=DeliveryRecord.Kind.WITHDRAWAL) \
            .exclude(state=State.DELIVERED).order_by("pk")
        if language:
            pending = pending.filter(language=language)
        for record in pending:
            if dry_run:
                self.stdout.write(_("  sẽ gửi: %(key)s") % {"key": record.key})
                counts["pending"] += 1
                continue
            try:
                counts["sent" if send_again(record.pk).sent else "pending"] += 1
            except DeliveryError as exc:
                failures.append((str(record), exc))

    def send_due(self, conf) -> None:
        """Automatic retries whose time has come (see retries.py)."""
        client = None
        sent = failed = 0
        for record in due_records():
            client = client or make_client(conf)
            try:
                sent += send_again(record.pk, client).sent
            except DeliveryError as exc:  # recorded (and perhaps rescheduled) on the record
                failed += 1
                self.stderr.write(f"  {record}: {exc.message}")
        if sent or failed:
            self.stdout.write(_("Tự thử lại: %(sent)d gói gửi xong, %(failed)d gói vẫn lỗi.")
                              % {"sent": sent, "failed": failed})

    def run_all(self, todo, workers, conf, client, dry_run):
        if workers == 1:
            for page_id, stamp in todo:
                yield self.deliver_one(page_id, stamp, conf, client, dry_run)
            return
        # Several packages at once, each worker with its own database connection: bagging
        # one package overlaps with uploading another.
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="deliver") as pool:
            futures = [pool.submit(self.deliver_in_thread, page_id, stamp, conf, client,
                                   dry_run) for page_id, stamp in todo]
            for future in as_completed(futures):
                yield future.result()

    def deliver_in_thread(self, *args):
        try:
            return self.deliver_one(*args)
        finally:
            connection.close()  # this worker thread's own connection

    def deliver_one(self, page_id, stamp, conf, client, dry_run):
        """(outcome, name, error) for one language version; runs in a worker thread."""
        name = f"page {page_id}"
        try:
            page = live_product(page_id)
            name = f"{page.identifier}/{page.locale.language_code}"
            package = build_package(page)
            record = prepare_record(package, conf, client, stamp=stamp)
            if record.state == State.DELIVERED:
                return "unchanged", name, None
            if dry_run:
                self.stdout.write(_("  sẽ gửi: %(key)s") % {"key": record.key})
                return "pending", name, None
            sent = send(record, package, conf, client).sent
            return ("sent" if sent else "pending"), name, None  # pending: another worker
        except DeliveryError as exc:  # recorded on the delivery record; reported at the end
            return "failed", name, exc

    def report(self, counts, failures, dry_run) -> None:
        if dry_run:
            self.stdout.write(_("Sẽ gửi %(pending)d gói; %(unchanged)d gói đã gửi và không đổi.")
                              % counts)
            return
        self.stdout.write(self.style.SUCCESS(
            _("Đã gửi %(sent)d gói; %(unchanged)d gói không đổi, bỏ qua; %(pending)d gói đang "
              "được tiến trình khác gửi.") % counts))
        for name, exc in failures:
            self.stderr.write(f"  {name}: {exc.message} {exc.detail[:200]}")
        if failures:
            raise CommandError(_("%(count)d gói gửi lỗi (xem danh sách ở trên và trong trang "
                                 "quản trị “Gửi về Bộ”).") % {"count": len(failures)})


def delivered_stamps() -> dict[tuple[str, str], str]:
    """(identifier, language) → source stamp of the latest version, when it is delivered
    and not withdrawn."""
    latest: dict[tuple[str, str], DeliveryRecord] = {}
    withdrawn = set(DeliveryRecord.objects.filter(kind=DeliveryRecord.Kind.WITHDRAWAL)
                    .values_list("identifier", "language", "version"))
    for record in DeliveryRecord.objects.filter(kind=DeliveryRecord.Kind.PACKAGE).only(
            "identifier", "language", "version", "state", "source_stamp").order_by("version"):
        latest[(record.identifier, record.language)] = record
    return {key: r.source_stamp for key, r in latest.items()
            if r.state == State.DELIVERED and r.source_stamp
            and (r.identifier, r.language, r.version) not in withdrawn}
