"""Idempotent set-up of the site tree, groups, page permissions and the review workflow.

Everything an administrator would otherwise click together by hand. Safe to run again:
each step creates only what is missing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.products.models import ELibraryPage, HomePage, SectionPage
from translations import languages
from translations.roles import language_collection_name, translator_group_name

from .file_collections import sort_files_into_collections
from .models import Organisation
from .signals import groups_provisioned

PROVINCIAL_EDITORS = "Biên tập viên cấp tỉnh"
REVIEWERS = "Người duyệt"
WORKFLOW_NAME = "Duyệt trước khi xuất bản"
TASK_NAME = "Người duyệt phê duyệt"

# Page permissions by role. Editors may add and edit but never publish: publishing goes
# through the review workflow. Reviewers publish.
EDITOR_PAGE_PERMS = ("add_page", "change_page", "lock_page", "unlock_page")
REVIEWER_PAGE_PERMS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Files follow organisations like pages do: each organisation (and each translated
# language, see translations.roles) has a collection; its group manages the files in it.
# Choosing (using a file in a page) is allowed from every collection: it changes nothing.
MANAGE_COLLECTION_PERMS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("media_pipeline", "add_mediaitem"),
    ("media_pipeline", "change_mediaitem"),
    ("media_pipeline", "delete_mediaitem"),
)
CHOOSE_COLLECTION_PERMS = (
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "choose_document"),
)
# Once granted to every editor on the whole site; taken back where they are too wide.
GLOBAL_MEDIA_PERMS = (
    ("media_pipeline", "add_mediaitem"),
    ("media_pipeline", "change_mediaitem"),
    ("media_pipeline", "delete_mediaitem"),
    ("media_pipeline", "view_mediaitem"),
)
EDITOR_MODEL_PERMS = (
    ("wagtailadmin", "access_admin"),
    ("products", "view_topic"),
    ("organisations", "view_area"),
)
REVIEWER_MODEL_PERMS = (
    *EDITOR_MODEL_PERMS,
    ("products", "add_topic"),
    ("products", "change_topic"),
    # The department follows the stations and the deliveries to the ministry.
    ("stations", "view_station"),
    ("stations", "add_station"),
    ("stations", "change_station"),
    ("stations", "view_downloadlog"),
    ("stations", "view_airingreport"),
    ("delivery", "view_deliveryrecord"),
    ("delivery", "change_deliveryrecord"),
)


# Translators add and edit; publishing stays with reviewers (the review workflow).
TRANSLATOR_PAGE_PERMS = ("add_page", "change_page", "lock_page", "unlock_page")
TRANSLATOR_MODEL_PERMS = (
    *EDITOR_MODEL_PERMS,
    ("translations", "view_translationrequest"),
    ("translations", "view_glossaryterm"),
    # the public site's interface in their language: they propose, reviewers approve
    ("translations", "view_interfacestring"),
    ("translations", "change_interfacestring"),
)
INTERFACE_REVIEWER_PERMS = (
    ("translations", "view_interfacestring"),
    ("translations", "change_interfacestring"),
    ("translations", "approve_interfacestring"),
)
REQUESTER_MODEL_PERMS = (
    ("translations", "add_translationrequest"),
    ("translations", "change_translationrequest"),
    ("translations", "view_translationrequest"),
    ("translations", "view_glossaryterm"),
)
GLOSSARY_MODEL_PERMS = (
    ("translations", "add_glossaryterm"),
    ("translations", "change_glossaryterm"),
    ("translations", "delete_glossaryterm"),
)

def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_locales() -> list[Locale]:
    return [Locale.objects.get_or_create(language_code=code)[0] for code, _n in settings.LANGUAGES]


def ensure_site_tree(site_name: str) -> ELibraryPage:
    """Home page as the default site's root, an e-library under it, in Vietnamese."""
    root = Page.get_first_root_node()
    vi = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
    home = HomePage.objects.filter(locale=vi).first()
    if home is None:
        with override(settings.LANGUAGE_CODE):
            home = root.add_child(
                instance=HomePage(title=site_name, slug="trang-chu", locale=vi)
            )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home,
                            is_default_site=True, site_name=site_name)
    elif site.root_page_id != home.id:
        old_root = site.root_page
        site.root_page = home
        site.site_name = site_name
        site.save()
        # Wagtail's "Welcome" placeholder goes once it is no longer the site root.
        if old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
    elibrary = ELibraryPage.objects.filter(locale=vi).first()
    if elibrary is None:
        elibrary = home.add_child(
            instance=ELibraryPage(title=_("Thư viện điện tử"), slug="thu-vien", locale=vi)
        )
    return elibrary


def ensure_translated_tree() -> None:
    """Copies of home, e-library and sections in every enabled locale, so that language
    versions of products have a parent and page permissions cover them."""
    for locale in ensure_locales():
        for page_model in (HomePage, ELibraryPage, SectionPage):
            for source in page_model.objects.filter(locale__language_code=settings.LANGUAGE_CODE):
                if not page_model.objects.filter(
                    translation_key=source.translation_key, locale=locale
                ).exists():
                    copy = source.copy_for_translation(locale, copy_parents=True)
                    copy.save_revision().publish()


def ensure_group(name: str, model_perms) -> Group:
    """The group with exactly these model permissions for media (none site-wide) and the
    right to choose any image or document; what it manages comes from its collections."""
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(*[_perm(app, code) for app, code in model_perms])
    group.permissions.remove(*[_perm(app, code) for app, code in GLOBAL_MEDIA_PERMS])
    grant_collection_perms(group, Collection.get_first_root_node(), CHOOSE_COLLECTION_PERMS)
    return group


def grant_collection_perms(group: Group, collection: Collection, perms) -> None:
    for app, code in perms:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_perm(app, code)
        )


def ensure_collection(name: str) -> Collection:
    """A collection of that name directly under the root collection."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(instance=Collection(name=name))


def scope_group_to_collection(group: Group, collection: Collection) -> None:
    """``group`` manages the files of ``collection`` and nothing else (it keeps choosing
    from everywhere): management rights elsewhere, e.g. on the root, are taken back."""
    manage = [_perm(app, code) for app, code in MANAGE_COLLECTION_PERMS]
    GroupCollectionPermission.objects.filter(group=group, permission__in=manage).exclude(
        collection=collection).delete()
    grant_collection_perms(group, collection, MANAGE_COLLECTION_PERMS)


def grant_page_perms(group: Group, page: Page, codenames) -> None:
    """Grant on ``page`` and on its copies in every other locale."""
    for copy in Page.objects.filter(translation_key=page.translation_key):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=copy, permission=_perm("wagtailcore", codename)
            )


def ensure_review_workflow(reviewers: Group) -> Workflow:
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set([reviewers])
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # On the tree root, so every locale's pages (now and future) go through review.
    WorkflowPage.objects.update_or_create(
        page=Page.get_first_root_node(), defaults={"workflow": workflow}
    )
    Workflow.objects.exclude(pk=workflow.pk).update(active=False)
    return workflow


def provision_organisation(
    org: Organisation, elibrary: ELibraryPage | None = None, *, translate: bool = True
) -> None:
    """A section page and an editors' group for one organisation, with page permissions
    on the section in every locale (``translate=False`` leaves copying and granting to a
    caller that provisions many organisations at once)."""
    elibrary = elibrary or ELibraryPage.objects.filter(
        locale__language_code=settings.LANGUAGE_CODE
    ).first()
    if elibrary is None:  # site tree not set up yet; setup_province will come back here
        return
    section = org.section_page
    if section is None:
        section = elibrary.add_child(
            instance=SectionPage(title=org.name, slug=f"don-vi-{org.pk}", locale=elibrary.locale)
        )
        section.save_revision().publish()
    if org.is_provincial:
        group = ensure_group(PROVINCIAL_EDITORS, EDITOR_MODEL_PERMS)
    else:
        group = ensure_group(f"Biên tập viên – {org.short_name}", EDITOR_MODEL_PERMS)
    collection = org.collection or ensure_collection(org.name)
    Organisation.objects.filter(pk=org.pk).update(section_page=section, editors_group=group,
                                                  collection=collection)
    org.section_page, org.editors_group, org.collection = section, group, collection
    # Provincial editors work on every organisation's files, as on every section.
    scope_group_to_collection(
        group, Collection.get_first_root_node() if org.is_provincial else collection)
    if translate:
        ensure_translated_tree()
        grant_organisation_perms(org, elibrary)
        groups_provisioned.send(sender=Organisation)


def grant_organisation_perms(org: Organisation, elibrary: ELibraryPage) -> None:
    """Provincial editors work on the whole e-library; a district's only on its section."""
    scope = elibrary if org.is_provincial else org.section_page
    grant_page_perms(org.editors_group, scope, EDITOR_PAGE_PERMS)


@transaction.atomic
def setup_province(site_name: str) -> ELibraryPage:
    elibrary = ensure_site_tree(site_name)
    reviewers = ensure_group(REVIEWERS, REVIEWER_MODEL_PERMS)
    scope_group_to_collection(reviewers, Collection.get_first_root_node())
    orgs = list(Organisation.objects.select_related("area", "section_page"))
    for org in orgs:
        provision_organisation(org, elibrary, translate=False)
    ensure_translated_tree()
    grant_page_perms(reviewers, elibrary, REVIEWER_PAGE_PERMS)
    for org in orgs:
        grant_organisation_perms(org, elibrary)
    ensure_review_workflow(reviewers)
    ensure_translation_roles()
    sort_files_into_collections()
    groups_provisioned.send(sender=Organisation)
    return elibrary


def ensure_translator_group(code: str) -> Group:
    """The group for ``code`` with page permissions on that locale's e-library only: every
    locale has its own copy of the site tree (ensure_translated_tree), and Wagtail's page
    permissions cover a subtree."""
    group = ensure_group(translator_group_name(code), TRANSLATOR_MODEL_PERMS)
    scope_group_to_collection(group, ensure_collection(language_collection_name(code)))
    locale = Locale.objects.filter(language_code=code).first()
    elibrary = locale and ELibraryPage.objects.filter(locale=locale).first()
    if elibrary is not None:
        for codename in TRANSLATOR_PAGE_PERMS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=elibrary, permission=_perm("wagtailcore", codename)
            )
    return group


@transaction.atomic
def ensure_translation_roles() -> list[Group]:
    """Translator groups for every enabled language; request and glossary permissions for
    editors and reviewers. Idempotent: creates only what is missing."""
    groups = [ensure_translator_group(lang.code) for lang in languages.active()
              if lang.code != settings.LANGUAGE_CODE]
    org_groups = Organisation.objects.exclude(editors_group=None).values("editors_group")
    requesters = (Group.objects.filter(name__in=[PROVINCIAL_EDITORS, REVIEWERS])
                  | Group.objects.filter(pk__in=org_groups))
    request_perms = [_perm(app, code) for app, code in REQUESTER_MODEL_PERMS]
    glossary_perms = [_perm(app, code) for app, code in GLOSSARY_MODEL_PERMS]
    for group in requesters.distinct():
        group.permissions.add(*request_perms)
        if group.name == REVIEWERS:
            group.permissions.add(*glossary_perms)
            group.permissions.add(*[_perm(app, code) for app, code in INTERFACE_REVIEWER_PERMS])
    return groups
