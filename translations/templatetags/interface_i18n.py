"""Django's ``i18n`` tag library, with ``{% translate %}`` and ``{% blocktranslate %}``
looking first in the interface strings the province's translators put live
(``translations.interface``). Registered as the template engine's ``i18n`` library
(``TEMPLATES[…]["OPTIONS"]["libraries"]``), so every template's ``{% load i18n %}`` gets it.
"""

from __future__ import annotations

from django import template
from django.template.base import render_value_in_context
from django.templatetags import i18n as django_i18n
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from translations import interface

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


def _context_of(node, context) -> str:
    return str(node.message_context.resolve(context)) if node.message_context else ""


class InterfaceTranslateNode(django_i18n.TranslateNode):
    def render(self, context):
        variable = self.filter_expression.var
        msgid = getattr(variable, "literal", None)
        found = None
        if not self.noop and isinstance(msgid, str) and not self.filter_expression.filters:
            found = interface.lookup(get_language(), _context_of(self, context), msgid)
        if found is None:
            return super().render(context)
        value = render_value_in_context(found[0], context)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


class InterfaceBlockTranslateNode(django_i18n.BlockTranslateNode):
    def render(self, context, nested=False):
        singular, names = self.render_token_list(self.singular)
        found = interface.lookup(get_language(), _context_of(self, context), singular)
        if found is None:
            return super().render(context, nested)
        text, plural_text = found
        context.update({var: val.resolve(context) for var, val in self.extra_context.items()})
        try:
            if self.plural and self.countervar and self.counter:
                count = self.counter.resolve(context)
                context[self.countervar] = count
                names += self.render_token_list(self.plural)[1]
                if count != 1 and plural_text:
                    text = plural_text
            data = {name: render_value_in_context(context.get(name, ""), context)
                    for name in names}
        finally:
            context.pop()
        # Translators' text is escaped like any other data; the values already are.
        result = str(conditional_escape(text)) % data
        if self.asvar:
            context[self.asvar] = result
            return ""
        return result


def _translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return InterfaceTranslateNode(node.filter_expression, node.noop, node.asvar,
                                  node.message_context)


def _block_translate(parser, token):
    node = django_i18n.do_block_translate(parser, token)
    return InterfaceBlockTranslateNode(
        node.extra_context, node.singular, node.plural, node.countervar, node.counter,
        node.message_context, node.trimmed, node.asvar, node.tag_name)


for name in ("translate", "trans"):
    register.tag(name, _translate)
for name in ("blocktranslate", "blocktrans"):
    register.tag(name, _block_translate)
