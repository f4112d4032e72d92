"""The registry: real ISO 639 codes, catalogues and LANG_INFO for codes Django lacks."""

import json
from pathlib import Path

import pytest
from django.conf.locale import LANG_INFO
from django.utils.translation import check_for_language, get_language_info

from translations import languages

ISO_639_3 = Path("/usr/share/iso-codes/json/iso_639-3.json")


def test_every_code_is_a_real_iso_639_code():
    entries = json.loads(ISO_639_3.read_text())["639-3"]
    by_3 = {e["alpha_3"]: e for e in entries}
    by_1 = {e["alpha_2"]: e for e in entries if "alpha_2" in e}
    for lang in languages.SUPPORTED:
        base = lang.code.split("-")[0]
        entry = by_1.get(base) or by_3.get(base)
        assert entry is not None, lang.code
        assert entry["alpha_3"] == lang.iso639_3, lang.code
    assert by_3["tyz"]["name"] == "Tày"
    assert by_3["nut"]["name"] == "Nung (Viet Nam)"
    assert by_3["blt"]["name"] == "Tai Dam"


def test_the_issue_languages_are_all_supported():
    names = {lang.name_vi for lang in languages.SUPPORTED}
    for name in ("Tiếng Việt", "Tiếng Anh", "Tiếng Tày", "Tiếng Nùng", "Tiếng Dao", "Tiếng Mông",
                 "Tiếng Thái", "Tiếng Khmer", "Tiếng Cơ Tu", "Tiếng Mường", "Tiếng Ê Đê",
                 "Tiếng Gia Rai", "Tiếng Ba Na", "Tiếng Hà Nhì"):
        assert name in names


def test_every_supported_code_has_a_catalogue_and_lang_info():
    for lang in languages.SUPPORTED:
        assert check_for_language(lang.code), f"no compiled catalogue for {lang.code}"
        assert lang.code in LANG_INFO
    assert get_language_info("tyz")["name_local"] == "Tiếng Tày"


def test_province_defaults_and_unknown_codes():
    assert languages.province_default("LSN") == "vi,tyz,nut,ium,zh-hans,en"
    assert languages.province_default("STG") == "vi,km,en"
    assert [lang.code for lang in languages.enabled(["tyz", "vi", "en"])] == ["vi", "tyz", "en"]
    with pytest.raises(ValueError, match="xx"):
        languages.enabled(["vi", "xx"])


def test_shared_vocabularies_have_a_column_per_supported_language():
    from cms.organisations.models import Area
    from cms.products.models import Topic

    for lang in languages.SUPPORTED:
        suffix = lang.code.replace("-", "_")
        Topic._meta.get_field(f"name_{suffix}")
        Topic._meta.get_field(f"description_{suffix}")
        Area._meta.get_field(f"name_{suffix}")


@pytest.mark.django_db
def test_topic_form_has_a_tab_per_enabled_language(admin_client):
    from django.urls import reverse

    html = admin_client.get(reverse("wagtailsnippets_products_topic:add")).content.decode()
    for field in ("name_vi", "name_en", "name_zh_hans"):
        assert f'name="{field}"' in html
    assert "Tiếng Trung (giản thể)" in html
