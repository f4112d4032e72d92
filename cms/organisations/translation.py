from modeltranslation.translator import TranslationOptions, register

from .models import Area


@register(Area)
class AreaTranslation(TranslationOptions):
    fields = ("name",)
