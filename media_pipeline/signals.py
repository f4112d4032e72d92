"""Enqueue renditions when a media item is created or its file replaced (on commit)."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import MediaItem


@receiver(pre_save, sender=MediaItem)
def _remember_old_file(sender, instance: MediaItem, **kwargs) -> None:
    if instance.pk:
        instance._old_file_name = (
            MediaItem.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
        )


@receiver(post_save, sender=MediaItem)
def _request_renditions(sender, instance: MediaItem, created: bool, raw: bool = False,
                        **kwargs) -> None:
    if raw or not instance.file or not getattr(settings, "LOA_MEDIA_ENQUEUE_ON_SAVE", True):
        return
    from .jobs import cancel, request_renditions

    changed = not created and getattr(instance, "_old_file_name", None) != instance.file.name
    if changed and (active := instance.active_job()) is not None:
        cancel(active)  # it is making renditions of the file that was just replaced
    if created or changed:
        request_renditions(instance, force=changed, user=instance.uploaded_by)
