"""The life of a translation request: requested → in progress → in review → published.

"In review" is Wagtail's own review workflow on the language version; the request follows
it through signals (signal_handlers.py): approval publishes the page, which publishes the
request; a rejection sends the request back to the translator."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from .exceptions import TransitionNotAllowed, TranslatorLacksLanguage
from .models import TranslationRequest
from .roles import user_has_language
from .versions import ensure_translation

State = TranslationRequest.State


def _locked(request_id: int) -> TranslationRequest:
    return TranslationRequest.objects.select_for_update().select_related("product").get(
        pk=request_id
    )


def _require(req: TranslationRequest, *states: str) -> None:
    if req.state not in states:
        raise TransitionNotAllowed(_(
            "Yêu cầu đang ở trạng thái “%(state)s”, không thể thực hiện thao tác này."
        ) % {"state": req.get_state_display()})


def _require_assignee(req: TranslationRequest, user) -> None:
    if not (user.is_superuser or req.assignee_id == user.pk):
        raise TransitionNotAllowed(_("Chỉ người dịch được giao mới thực hiện được thao tác này."))


@transaction.atomic
def assign(req: TranslationRequest, translator) -> TranslationRequest:
    req = _locked(req.pk)
    _require(req, State.REQUESTED, State.IN_PROGRESS)
    if not user_has_language(translator, req.language):
        raise TranslatorLacksLanguage(_(
            "%(user)s không thuộc nhóm biên dịch %(lang)s."
        ) % {"user": translator.get_username(), "lang": req.language_name})
    req.assignee = translator
    req.save(update_fields=["assignee", "updated_at"])
    return req


@transaction.atomic
def start(req: TranslationRequest, user) -> TranslationRequest:
    """The assigned translator starts: the language version is created as a draft."""
    req = _locked(req.pk)
    _require(req, State.REQUESTED)
    _require_assignee(req, user)
    locale = Locale.objects.get(language_code=req.language)
    req.translation = ensure_translation(req.product, locale, user=user)
    req.state = State.IN_PROGRESS
    req.save(update_fields=["translation", "state", "updated_at"])
    return req


@transaction.atomic
def submit_for_review(req: TranslationRequest, user) -> TranslationRequest:
    """Hand the language version to the reviewers through Wagtail's review workflow."""
    req = _locked(req.pk)
    _require(req, State.IN_PROGRESS)
    _require_assignee(req, user)
    page = req.translation.specific
    if page.latest_revision is None:
        page.save_revision(user=user)
    state = page.current_workflow_state
    workflow = page.get_workflow()
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        state.resume(user)  # reviewers asked for changes; the translator made them
    elif state is None and workflow is not None:
        workflow.start(page, user)
    req.state = State.IN_REVIEW
    req.save(update_fields=["state", "updated_at"])
    return req


def requests_for_version(page: Page):
    return TranslationRequest.objects.filter(
        product__translation_key=page.translation_key,
        product__locale__language_code=settings.LANGUAGE_CODE,
        language=page.locale.language_code,
    )


def mark_published(page: Page) -> int:
    """A language version went live: its request is done, whatever state it was in."""
    return requests_for_version(page).exclude(state=State.PUBLISHED).update(
        state=State.PUBLISHED, translation=page, published_at=timezone.now(),
        updated_at=timezone.now(),
    )


def back_to_translator(page: Page) -> int:
    """The reviewers asked for changes: the translator has the version again."""
    return requests_for_version(page).filter(state=State.IN_REVIEW).update(
        state=State.IN_PROGRESS, updated_at=timezone.now()
    )
