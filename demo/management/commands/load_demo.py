"""Load the demo province (Lạng Sơn): areas, organisations, users for every role, topics,
and products of every kind with real, locally generated media. Safe to run again."""

from __future__ import annotations

import datetime
import secrets
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from cms.organisations.models import Area, Level, Organisation
from cms.organisations.provisioning import PROVINCIAL_EDITORS, REVIEWERS, setup_province
from cms.organisations.site_address import set_default_site_address
from cms.products.file_import import import_document, import_image, import_media_item
from cms.products.models import BulletinPage, DocumentPage, PrintPage, Topic, VideoPage
from demo import data, media
from demo import translations as translations_demo
from demo.programme import ensure_demo_programme, issue_demo_kiosk_keys
from demo.stations import ensure_demo_stations
from media_pipeline.models import MediaItem
from media_pipeline.publication import publish_when_ready

KINDS = ("bulletin", "document", "print", "video")


class Summary:
    """What a newcomer needs from the demo (users, passwords, station keys): written to
    the command's output as it happens and kept for the closing summary file."""

    def __init__(self, stdout) -> None:
        self.stdout = stdout
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.stdout.write(text)
        self.lines.extend(text.splitlines())


class Command(BaseCommand):
    help = _("Nạp tỉnh mẫu Lạng Sơn (đơn vị, người dùng, chủ đề, sản phẩm có tệp thật).")

    def add_arguments(self, parser):
        parser.add_argument("--per-kind", type=int, default=12,
                            help=_("Số sản phẩm mẫu cho mỗi loại (mặc định 12)."))
        parser.add_argument("--no-passwords", action="store_true",
                            help=_("Không đặt lại mật khẩu người dùng mẫu."))
        parser.add_argument("--summary-file", default="",
                            help=_("Ghi tóm tắt (người dùng, mật khẩu, khóa đài) vào tệp này."))

    def handle(self, *args, per_kind: int, no_passwords: bool, summary_file: str = "",
               **options):
        self.summary = Summary(self.stdout)
        orgs = self.ensure_organisations()
        setup_province(f"Loa – {data.PROVINCE['name']}")
        orgs = [Organisation.objects.select_related("section_page", "area").get(pk=o.pk)
                for o in orgs]
        topics = self.ensure_topics()
        users = self.ensure_users(orgs, set_passwords=not no_passwords)
        self.vi = Locale.objects.get(language_code="vi")
        self.workdir = Path(tempfile.mkdtemp(prefix="loa-demo-"))
        made = 0
        for kind in KINDS:
            for index in range(per_kind):
                made += self.ensure_product(kind, index, orgs, topics, users)
        translations_demo.load(self.summary, set_passwords=not no_passwords)  # languages
        if not no_passwords:  # like the passwords, every demo station gets a fresh key
            self.summary.write(_("Đài mẫu (khóa truy cập, nguồn tin):"))
        # radio stations of all three levels
        ensure_demo_stations(self.summary, rotate_existing=not no_passwords)
        ensure_demo_programme(self.stdout)  # plan, training, support points, deadlines
        if not no_passwords:  # the demo kiosk's set-up address carries a fresh key
            self.summary.write(_("Máy kiosk mẫu (mở địa chỉ cài đặt một lần trên máy):"))
            issue_demo_kiosk_keys(self.summary)
        set_default_site_address()  # absolute links lead to the server LOA_BASE_URL names
        if summary_file:
            Path(summary_file).parent.mkdir(parents=True, exist_ok=True)
            Path(summary_file).write_text("\n".join(self.summary.lines) + "\n",
                                          encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(
            _("Tỉnh mẫu sẵn sàng: thêm mới %(count)d sản phẩm.") % {"count": made}))

    # --- organisations, topics, users -------------------------------------------------
    @transaction.atomic
    def ensure_organisations(self) -> list[Organisation]:
        province, _created = Area.objects.update_or_create(
            code=data.PROVINCE["code"],
            defaults={"name": data.PROVINCE["name"], "level": Level.PROVINCE,
                      "name_en": data.PROVINCE["name_en"],
                      "name_zh_hans": data.PROVINCE["name_zh_hans"]},
        )
        department, _created = Organisation.objects.get_or_create(
            name=data.DEPARTMENT, defaults={"short_name": "Sở TTTT", "area": province}
        )
        orgs = [department]
        for name, code, border, communes in data.DISTRICTS:
            district, _created = Area.objects.update_or_create(
                code=code, defaults={"name": name, "level": Level.DISTRICT, "parent": province,
                                     "is_border": border},
            )
            for number, commune in enumerate(communes, start=1):
                Area.objects.update_or_create(
                    code=f"{code}-{number:02d}",
                    defaults={"name": commune, "level": Level.COMMUNE, "parent": district,
                              "is_border": border},
                )
            org, _created = Organisation.objects.get_or_create(
                name=f"Phòng Văn hóa – Thông tin huyện {name}",
                defaults={"short_name": name, "area": district, "parent": department},
            )
            orgs.append(org)
        return orgs

    def ensure_topics(self) -> list[Topic]:
        topics = []
        for order, (slug, vi, en, zh) in enumerate(data.TOPICS):
            topic, _created = Topic.objects.update_or_create(
                slug=slug, defaults={"name": vi, "name_vi": vi, "name_en": en,
                                     "name_zh_hans": zh, "sort_order": order},
            )
            topics.append(topic)
        return topics

    def ensure_users(self, orgs: list[Organisation], *, set_passwords: bool) -> dict:
        user_model = get_user_model()
        by_short = {org.short_name: org for org in orgs}
        users, lines = {}, []
        for username, first, last, role, org_key in data.USERS:
            user, _created = user_model.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last,
                          "email": f"{username}@loa.invalid"},
            )
            user.is_superuser = user.is_staff = role == "admin"
            groups = {
                "editor": [orgs[0].editors_group if org_key is None
                           else by_short[org_key].editors_group],
                "reviewer": [Group.objects.get(name=REVIEWERS)],
            }.get(role, [])
            if role == "editor" and org_key is None:
                groups = [Group.objects.get(name=PROVINCIAL_EDITORS)]
            if set_passwords:
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                lines.append(f"  {username:<18} {password:<14} {role}"
                             + (f" ({org_key})" if org_key else ""))
            user.save()
            user.groups.set(groups)
            users[username] = user
        if lines:
            self.summary.write(_("Người dùng mẫu (tên đăng nhập, mật khẩu, vai trò):"))
            self.summary.write("\n".join(lines))
        return users

    # --- products ---------------------------------------------------------------------
    def ensure_product(self, kind, index, orgs, topics, users) -> int:
        slug = f"{kind}-{index + 1:02d}"
        model = {"bulletin": BulletinPage, "document": DocumentPage, "print": PrintPage,
                 "video": VideoPage}[kind]
        if model.objects.filter(slug=slug, locale=self.vi).exists():
            return 0
        org = orgs[index % len(orgs)]
        subject = data.SUBJECTS[index % len(data.SUBJECTS)]
        title = {"bulletin": f"Bản tin: {subject}", "document": f"Tài liệu: {subject}",
                 "print": f"Tờ rơi: {subject}", "video": f"Video: {subject}"}[kind]
        page = model(
            title=title, slug=slug, locale=self.vi, summary=data.BODY[0],
            body=[("paragraph", f"<p>{p}</p>") for p in data.BODY],
            area=org.area, production_year=timezone.localdate().year,
            cover=self.image(title, org.short_name, index), live=False,
        )
        getattr(self, f"fill_{kind}")(page, index, title)
        page.topics = [topics[index % len(topics)], topics[(index + 3) % len(topics)]]
        editor = users["bientap.tinh"]
        org.section_page.add_child(instance=page)
        revision = page.save_revision(user=editor)
        if kind == "bulletin" and index == 1:
            page.get_workflow().start(page, editor)  # one left waiting for the reviewer
        elif kind != "bulletin" or index != 2:  # and one plain draft
            # live once its audio/video is converted (the worker and publish_scheduled)
            publish_when_ready(revision, user=users["duyet"])
        return 1

    def fill_bulletin(self, page, index, title):
        text = f"{title}. {data.BODY[0]} {data.BODY[1]}"
        path = media.speech_mp3(text, self.workdir / f"ban-tin-{index + 1:02d}.mp3",
                                bed_hz=180 + 20 * index)
        page.audio = self.media_item(f"Âm thanh – {title}", path)
        page.air_date = timezone.localdate() - datetime.timedelta(days=index)

    def fill_video(self, page, index, title):
        path = self.workdir / f"video-{index + 1:02d}.mp4"
        media.test_video(path, seconds=4 + index % 3, tone_hz=300 + 40 * index)
        page.video = self.media_item(f"Video – {title}", path)
        kinds = VideoPage.ClipKind
        page.clip_kind = kinds.DOCUMENTARY if index % 4 == 0 else kinds.CLIP

    def fill_document(self, page, index, title):
        pdf = media.text_pdf(title, data.BODY, self.workdir / f"tai-lieu-{index + 1:02d}.pdf",
                             pages=2 + index % 4)
        page.pdf = self.document(title, pdf)
        types = DocumentPage.DocType
        page.doc_type = types.HANDBOOK if index % 3 == 0 else types.BRIEF
        page.page_count = 2 + index % 4
        page.print_run = 500 + 100 * index

    def fill_print(self, page, index, title):
        formats = list(PrintPage.Format)
        page.print_format = formats[index % len(formats)]
        poster = media.cover_image(title, str(page.print_format.label),
                                   self.workdir / f"an-pham-{index + 1:02d}.jpg",
                                   index=index + 2, size=(840, 1188))
        page.artwork_image = self.image_from(f"Bản in – {title}", poster)
        page.size = "A3" if page.print_format == PrintPage.Format.POSTER else "A4"
        page.print_run = 1000

    # --- stored objects -------------------------------------------------------------
    def media_item(self, title: str, path: Path) -> MediaItem:
        return import_media_item(path, title)

    def image(self, title: str, subtitle: str, index: int):
        path = media.cover_image(title, subtitle, self.workdir / f"bia-{secrets.token_hex(4)}.jpg",
                                 index=index)
        return import_image(path, f"Ảnh bìa – {title}")

    def image_from(self, title: str, path: Path):
        return import_image(path, title)

    def document(self, title: str, path: Path):
        return import_document(path, title)
