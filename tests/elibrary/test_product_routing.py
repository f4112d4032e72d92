"""Product pages are found straight from their address (cms.products.routing): the answer is
the one Wagtail's own routing gives — private stays private, a renamed product moves, a
product's topics and language versions are read fresh on every view."""

from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.models import PageViewRestriction

from cms.products.models import BulletinPage


def test_a_private_section_keeps_its_products_private(client, library):
    bulletin = library.bulletins[0]
    section = bulletin.get_parent()
    assert client.get(bulletin.url).status_code == 200

    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(bulletin.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    user = get_user_model().objects.create_user("can_bo", password="mat-khau-thu")
    client.force_login(user)
    assert bulletin.title in client.get(bulletin.url).content.decode()
    client.logout()

    restriction.restriction_type = PageViewRestriction.PASSWORD
    restriction.password = "bien-gioi"
    restriction.save()
    html = client.get(bulletin.url).content.decode()
    assert 'name="password"' in html and bulletin.summary not in html


def test_a_renamed_product_answers_at_its_new_address_only(client, library):
    bulletin = BulletinPage.objects.get(pk=library.bulletins[0].pk)
    old_url = bulletin.url
    bulletin.slug = "ban-tin-moi"
    bulletin.save_revision().publish()
    bulletin.refresh_from_db()
    assert bulletin.url != old_url
    assert client.get(old_url).status_code == 404
    assert bulletin.title in client.get(bulletin.url).content.decode()


def test_a_topic_renamed_shows_its_new_name_at_once(client, library):
    bulletin = library.bulletins[0]
    topic = bulletin.topics.first()
    assert topic.name_vi in client.get(bulletin.url).content.decode()
    topic.name_vi = "An ninh biên giới (tên mới)"
    topic.save()
    assert "An ninh biên giới (tên mới)" in client.get(bulletin.url).content.decode()


def test_an_unpublished_product_is_not_found_at_its_address(client, library):
    bulletin = BulletinPage.objects.get(pk=library.bulletins[0].pk)
    url = bulletin.url
    bulletin.unpublish()
    assert client.get(url).status_code == 404


def test_a_product_page_reads_the_same_with_prepared_statements_off(client, library):
    """LOA_DB_PREPARED_STATEMENTS=0 (behind a connection pooler) serves the same page: on
    PostgreSQL the lookups then go through Django's own cursor instead of being prepared."""
    bulletin = library.bulletins[0]
    prepared = client.get(bulletin.url).content.decode()
    connection.ensure_connection()
    raw = connection.connection
    threshold = getattr(raw, "prepare_threshold", None)
    if connection.vendor == "postgresql":
        assert threshold is not None  # the settings switch prepared statements on
        raw.prepare_threshold = None
    try:
        unprepared = client.get(bulletin.url).content.decode()
    finally:
        if connection.vendor == "postgresql":
            raw.prepare_threshold = threshold
    assert bulletin.title in unprepared and bulletin.topics.first().name_vi in unprepared
    assert unprepared == prepared
