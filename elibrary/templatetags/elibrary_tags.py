from __future__ import annotations

from django import template
from django.template.base import Token
from django.utils.functional import cached_property
from wagtail.images.templatetags import wagtailimages_tags

from elibrary import media_sources

register = template.Library()


class PreparedSrcsetImageNode(wagtailimages_tags.SrcsetImageNode):
    """Wagtail's ``srcset_image`` with its filters parsed once, when the template is
    compiled, rather than on every render (parsing inspects each operation's signature)."""

    @cached_property
    def prepared_filters(self) -> list:
        return super().get_filters()

    def get_filters(self) -> list:
        return self.prepared_filters


@register.tag
def responsive_image(parser, token):
    """``{% responsive_image image width-{320,640} … %}``: ``srcset_image``'s syntax and
    output, for the pictures every product page shows."""
    _name, arguments = token.contents.split(None, 1)
    node = wagtailimages_tags.image(
        parser, Token(token.token_type, f"srcset_image {arguments}", token.position, token.lineno))
    return PreparedSrcsetImageNode(node.image_expr, node.filter_specs, attrs=node.attrs,
                                   output_var_name=node.output_var_name)


@register.inclusion_tag("elibrary/player.html")
def media_player(item, kiosk: bool = False, player_id: str = "") -> dict:
    """An HTML5 <audio>/<video> with the renditions as <source>s and download links."""
    if item is None:
        return {"item": None}
    is_audio = item.kind == "audio"
    sources = (media_sources.audio_sources(item, kiosk=kiosk) if is_audio
               else media_sources.video_sources(item, kiosk=kiosk))
    return {
        "item": item,
        "is_audio": is_audio,
        "sources": sources,
        "poster": "" if is_audio else media_sources.poster_url(item),
        "downloads": [] if kiosk else media_sources.downloads(item, sources),
        "kiosk": kiosk,
        "player_id": player_id,
    }


@register.simple_tag
def kiosk_audio_url(item) -> str:
    """The single file the kiosk playlist plays for ``item``."""
    return media_sources.audio_sources(item, kiosk=True)[0].url if item else ""
