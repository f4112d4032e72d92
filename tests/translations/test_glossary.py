"""The glossary check flags a translation that does not use an approved term, on the
request's review screen and when the language version is opened for editing."""

import pytest
from django.urls import reverse
from wagtail.models import Locale

from translations import glossary
from translations.models import GlossaryTerm, TranslationRequest
from translations.versions import ensure_translation


@pytest.fixture
def tay(bulletin, translators):
    GlossaryTerm.objects.create(language="tyz", term_vi="Biên phòng", rendering="Piên phòng")
    GlossaryTerm.objects.create(language="km", term_vi="Biên phòng", rendering="ឆ្មាំព្រំដែន")
    page = ensure_translation(bulletin, Locale.objects.get(language_code="tyz"))
    return page


def _set_heading(page, text, user):
    raw = list(page.body.raw_data)
    for item in raw:
        if item["type"] == "heading":
            item["value"] = text
    page.body = raw
    page.save_revision(user=user)


@pytest.mark.django_db
def test_missing_approved_term_is_flagged(bulletin, tay, translators):
    user = translators["tyz"]
    _set_heading(tay, "Bộ đội đồn biên cạ pỉ noọng", user)
    missing = glossary.check(tay)
    heading = next(b.id for b in bulletin.body if b.block_type == "heading")
    assert (f"body/{heading}", "Biên phòng", "Piên phòng") in [
        (m.path, m.term_vi, m.rendering) for m in missing]
    assert all(m.rendering != "ឆ្មាំព្រំដែន" for m in missing)  # Khmer terms do not apply
    _set_heading(tay, "Bộ đội Piên phòng cạ pỉ noọng", user)
    assert f"body/{heading}" not in [m.path for m in glossary.check(tay)]


@pytest.mark.django_db
def test_review_screen_and_editor_show_the_warning(client, bulletin, tay, translators, users):
    _set_heading(tay, "Bộ đội đồn biên cạ pỉ noọng", translators["tyz"])
    req = TranslationRequest.objects.create(product=bulletin.page_ptr, language="tyz",
                                            due_date="2099-01-01", assignee=translators["tyz"])
    client.force_login(users.reviewer)
    html = client.get(reverse("translations:request", args=[req.pk])).content.decode()
    assert 'id="glossary-issues"' in html and "Piên phòng" in html
    client.force_login(translators["tyz"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[tay.pk])).content.decode()
    assert "phải dịch là “Piên phòng”" in html
