"""Demo stations of the demo province (Lạng Sơn), one per level at least: the provincial
radio-TV, two district stations and two commune loudspeaker stations. Safe to run again:
a station that exists is left as it is, and its key is not re-issued."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from cms.organisations.models import Area, Level
from stations.models import Station

# name, area code (demo/data.py), level, languages, audio profile, contact
DEMO_STATIONS = [
    ("Đài Phát thanh và Truyền hình Lạng Sơn", "20", Level.PROVINCE,
     ["vi", "tyz", "nut", "zh-hans"], "broadcast-master", "Phòng Thời sự"),
    ("Trung tâm Văn hóa – Truyền thông huyện Cao Lộc", "20-CL", Level.DISTRICT,
     ["vi", "tyz", "nut", "zh-hans"], "radio-provincial", "Tổ truyền thanh"),
    ("Trung tâm Văn hóa – Truyền thông huyện Văn Lãng", "20-VL", Level.DISTRICT,
     ["vi", "tyz"], "radio-provincial", "Tổ truyền thanh"),
    ("Đài truyền thanh xã Đồng Đăng", "20-CL-01", Level.COMMUNE,
     ["vi", "nut"], "radio-loudspeaker", "Cán bộ văn hóa xã"),
    ("Đài truyền thanh xã Tân Thanh", "20-VL-01", Level.COMMUNE,
     ["vi", "tyz"], "radio-loudspeaker", "Cán bộ văn hóa xã"),
]


def ensure_demo_stations(stdout=None, *, rotate_existing: bool = False) -> int:
    """Create the missing demo stations; print the key of each new one (shown only once),
    and with ``rotate_existing`` give the existing ones a new key too. Returns how many
    stations were created."""
    enabled = {code for code, _name in settings.LANGUAGES}
    made = 0
    for name, area_code, level, codes, profile, contact in DEMO_STATIONS:
        area = Area.objects.filter(code=area_code).first()
        station = Station.objects.filter(name=name).first()
        if area is None or (station is not None and not rotate_existing):
            continue
        if station is None:
            station = Station.objects.create(
                name=name, level=level, area=area, audio_profile=profile,
                contact_name=contact, languages=[c for c in codes if c in enabled] or ["vi"],
            )
            made += 1
        key = station.rotate_key()
        if stdout is not None:
            feed = reverse("stations:station_feed", args=[station.pk, station.languages[0]])
            stdout.write(f"  Đài «{name}»: khóa {key}\n    nguồn tin: "
                         f"{settings.WAGTAILADMIN_BASE_URL}{feed}?key={key}")
    return made
