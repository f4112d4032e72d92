from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Âm thanh và video")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            signals,  # noqa: F401  (connects the enqueue-on-save receivers)
            tasks,  # noqa: F401  (connects the receivers that enqueue the tasks)
        )
        from .publication import install_publish_guard

        install_publish_guard()  # no page goes live with media that is not ready
