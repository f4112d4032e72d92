"""A new organisation gets its e-library section and editors' group at once."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Organisation


@receiver(post_save, sender=Organisation)
def provision_new_organisation(sender, instance: Organisation, created: bool, raw=False, **kw):
    if raw or not created:
        return
    from .provisioning import provision_organisation

    transaction.on_commit(lambda: provision_organisation(instance))
