"""Enqueue renditions when a media item is created or its file replaced, and a PDF's
first-page picture when a document is (on commit)."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .models import DocumentThumbnail, MediaItem


@receiver(pre_save, sender=MediaItem)
def _remember_old_file(sender, instance: MediaItem, **kwargs) -> None:
    if instance.pk:
        instance.stored_file_name = (
            MediaItem.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
        )


@receiver(post_save, sender=MediaItem)
def _request_renditions(sender, instance: MediaItem, created: bool, raw: bool = False,
                        **kwargs) -> None:
    if raw or not instance.file or not getattr(settings, "LOA_MEDIA_ENQUEUE_ON_SAVE", True):
        return
    from .jobs import cancel, request_renditions

    changed = not created and instance.stored_file_name != instance.file.name
    if changed and (active := instance.active_job()) is not None:
        cancel(active)  # it is making renditions of the file that was just replaced
    if created or changed:
        request_renditions(instance, force=changed, user=instance.uploaded_by)


@receiver(post_save, sender=get_document_model())
def _request_pdf_thumbnail(sender, instance, raw: bool = False, update_fields=None,
                           **kwargs) -> None:
    if raw or not getattr(settings, "LOA_MEDIA_ENQUEUE_ON_SAVE", True):
        return
    if update_fields is not None and "file" not in update_fields:
        return  # e.g. Wagtail filling in file_hash: the file did not change
    from .pdf_thumbnails import request_thumbnail

    request_thumbnail(instance)


@receiver(post_delete, sender=DocumentThumbnail)
def _drop_pdf_picture(sender, instance: DocumentThumbnail, **kwargs) -> None:
    """A deleted document (or a purge) takes its first-page picture along; Wagtail then
    removes the image's file and renditions."""
    if instance.image_id:
        get_image_model().objects.filter(pk=instance.image_id).delete()
