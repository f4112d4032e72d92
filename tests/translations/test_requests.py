"""Translator roles and the life of a translation request through Wagtail's review."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from translations import request_states
from translations.exceptions import TransitionNotAllowed, TranslatorLacksLanguage
from translations.models import TranslationRequest
from translations.versions import ensure_translation

State = TranslationRequest.State


def _request(bulletin, code, **kwargs):
    return TranslationRequest.objects.create(
        product=bulletin.page_ptr, language=code,
        due_date=kwargs.pop("due_date", timezone.localdate() + datetime.timedelta(days=7)),
        **kwargs,
    )


@pytest.mark.django_db
def test_tay_translator_edits_tay_but_not_khmer(client, bulletin, translators, users):
    tay = ensure_translation(bulletin, Locale.objects.get(language_code="tyz"))
    khmer = ensure_translation(bulletin, Locale.objects.get(language_code="km"))
    translator = translators["tyz"]
    assert tay.permissions_for_user(translator).can_edit()
    assert not khmer.permissions_for_user(translator).can_edit()
    assert not bulletin.permissions_for_user(translator).can_edit()
    assert not tay.permissions_for_user(translator).can_publish()
    client.force_login(translator)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[tay.pk])).status_code == 200
    denied = client.get(reverse("wagtailadmin_pages:edit", args=[khmer.pk]))
    assert denied.status_code in (302, 403)
    # Posting an edit to the Khmer version changes nothing.
    client.post(reverse("wagtailadmin_pages:edit", args=[khmer.pk]),
                {"title": "đã bị sửa", "slug": khmer.slug})
    khmer.refresh_from_db()
    assert khmer.title == bulletin.title and khmer.draft_title == bulletin.title


@pytest.mark.django_db
def test_request_life_cycle_through_review(client, bulletin, translators, users):
    req = _request(bulletin, "tyz", requested_by=users.provincial_editor)
    with pytest.raises(TranslatorLacksLanguage):
        request_states.assign(req, translators["km"])
    request_states.assign(req, translators["tyz"])
    with pytest.raises(TransitionNotAllowed):
        request_states.start(req, translators["km"])  # not the assignee
    req = request_states.start(req, translators["tyz"])
    assert req.state == State.IN_PROGRESS
    page = req.translation.specific
    assert page.locale.language_code == "tyz" and not page.live
    assert page.translation_key == bulletin.translation_key
    assert page.audio is None  # a Tày bulletin gets its own recording
    page.title = "Slam pỉ noọng giữ đường biên"
    page.save_revision(user=translators["tyz"])
    req = request_states.submit_for_review(req, translators["tyz"])
    assert req.state == State.IN_REVIEW
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live

    # The reviewer asks for changes: back to the translator.
    state = page.current_workflow_state
    state.current_task_state.task.specific.on_action(
        state.current_task_state, users.reviewer, "reject")
    req.refresh_from_db()
    assert req.state == State.IN_PROGRESS
    req = request_states.submit_for_review(req, translators["tyz"])
    page.refresh_from_db()
    state = page.current_workflow_state
    state.current_task_state.task.specific.on_action(
        state.current_task_state, users.reviewer, "approve")
    req.refresh_from_db()
    page.refresh_from_db()
    assert page.live and page.title == "Slam pỉ noọng giữ đường biên"
    assert req.state == State.PUBLISHED and req.published_at is not None
    with pytest.raises(TransitionNotAllowed):
        request_states.start(req, translators["tyz"])


@pytest.mark.django_db
def test_assignee_must_hold_the_language_in_the_form(bulletin, translators):
    req = _request(bulletin, "km", assignee=translators["tyz"])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        req.full_clean()
    assert "Biên dịch" in str(error.value) or "nhóm biên dịch" in str(error.value)


@pytest.mark.django_db
def test_dashboard_shows_existing_late_and_missing(client, bulletin, translators, users):
    _request(bulletin, "km", due_date=timezone.localdate() - datetime.timedelta(days=2))
    _request(bulletin, "tyz")
    from .conftest import publish_translation

    publish_translation(bulletin, "zh-hans", "简报：守护边境", users.admin)
    client.force_login(users.provincial_editor)
    html = client.get(reverse("translations:dashboard")).content.decode()
    row = html.split(f'data-product="{bulletin.pk}"')[1].split("</tr>")[0]
    cells = [c for c in row.split("<td ")[1:] if c.startswith("data-status")]
    by_status = [c.split('data-status="')[1].split('"')[0] for c in cells]
    # Columns follow the enabled languages: tyz, nut, km, zh-hans, blt.
    assert by_status == ["requested", "missing", "requested", "published", "missing"]
    assert 'data-late="1"' in cells[2] and 'data-late="1"' not in cells[0]
    summary = html.split('data-language="zh-hans"')[1].split("</tr>")[0]
    assert '<td class="published-this-year">1</td>' in summary


@pytest.mark.django_db
def test_editor_asks_for_several_languages_at_once(client, bulletin, translators, users):
    client.force_login(users.provincial_editor)
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    url = reverse("translations:new_request", args=[bulletin.pk])
    response = client.post(url, {"languages": ["tyz", "km"], "due_date": due, "note": ""})
    assert response.status_code == 302
    reqs = {r.language: r for r in TranslationRequest.objects.filter(product=bulletin.pk)}
    assert set(reqs) == {"tyz", "km"}
    assert reqs["tyz"].assignee == translators["tyz"]  # the only Tày translator
    assert reqs["tyz"].state == State.REQUESTED
    client.post(url, {"languages": ["tyz"], "due_date": due, "note": ""})
    assert TranslationRequest.objects.filter(product=bulletin.pk).count() == 2
    past = client.post(url, {"languages": ["nut"], "due_date": "2000-01-01", "note": ""})
    assert "không được ở trong quá khứ" in past.content.decode()


@pytest.mark.django_db
def test_admin_screens_for_requests_and_glossary(client, bulletin, translators, users):
    req = _request(bulletin, "tyz", assignee=translators["tyz"])
    client.force_login(users.provincial_editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[bulletin.pk])).content.decode()
    assert reverse("translations:new_request", args=[bulletin.pk]) in edit
    listing = client.get(reverse("wagtailsnippets_translations_translationrequest:list"))
    assert listing.status_code == 200 and bulletin.title in listing.content.decode()
    client.force_login(users.reviewer)
    assert client.get(reverse("wagtailsnippets_translations_glossaryterm:add")).status_code == 200
    client.force_login(translators["tyz"])
    detail = client.get(reverse("translations:request", args=[req.pk])).content.decode()
    assert "Bắt đầu dịch" in detail
    client.post(reverse("translations:action", args=[req.pk, "start"]))
    req.refresh_from_db()
    assert req.state == State.IN_PROGRESS
    client.force_login(translators["km"])  # not the assignee, nor of this language
    response = client.post(reverse("translations:action", args=[req.pk, "submit"]))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    req.refresh_from_db()
    assert req.state == State.IN_PROGRESS
