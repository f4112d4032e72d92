"""What a product page shows from elsewhere, kept on the page's own row.

A product page lists its topics (named in the visitor's language), plays its recordings'
ready renditions and offers a language switcher when another version is live. Read at
every view, these are three more queries than a plain page makes. So they are worked out
when the page is published and kept in ``ProductPage.shown_facts`` (JSON):

* ``topics``: the topic names per language code, ordered as the topics are;
* ``renditions``: per recording (media item id), its READY renditions (id, profile, file
  name, MIME type, size), oldest first;
* ``other_live_versions``: whether another language version of the page is live.

The events that change them refresh them at once: publishing or unpublishing a page (its
own facts and its language versions' flag), deleting one (its versions' flag), renaming or
deleting a topic, a rendition saved or deleted. These are the events that also start a new
page-cache generation (elibrary/page_cache.py).

Only a page Wagtail serves live through the product routing uses the facts
(``apply_to``); previews, the kiosk and exports read live data, so a draft shows its own
topics. A page without facts (not published since they were introduced) reads live data
too; ``manage.py refresh_shown_facts`` fills them for every product. Kept fresh by
facts_refresh.py.
"""

from __future__ import annotations

from django.utils import translation

from media_pipeline.models import READY_RENDITIONS, Rendition
from translations import versions

TOPICS = "topics"
RENDITIONS = "renditions"
OTHER_LIVE_VERSIONS = "other_live_versions"


def apply_to(page) -> None:
    """Give ``page`` (loaded to be served live) what its facts hold, so its view reads
    them instead of querying: its topic names in the active language, its recordings'
    ready renditions, whether its language versions need a lookup. Whatever the facts
    lack is read live."""
    facts = page.shown_facts or {}
    if OTHER_LIVE_VERSIONS in facts:
        setattr(page, versions.NO_OTHER_LIVE_VERSION, not facts[OTHER_LIVE_VERSIONS])
    else:
        versions.note_other_live_versions(page)
    names = facts.get(TOPICS, {}).get(translation.get_language())
    if names is not None:
        page.topic_names = names
    renditions = facts.get(RENDITIONS, {})
    for item in page.media_items():
        kept = renditions.get(str(item.pk))
        if kept is not None:
            setattr(item, READY_RENDITIONS, [
                Rendition(pk=r["id"], source_id=item.pk, profile=r["profile"], file=r["file"],
                          mime_type=r["mime_type"], size=r["size"],
                          state=Rendition.State.READY)
                for r in kept])
