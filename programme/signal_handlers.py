"""Receivers: the programme's roles follow provisioning; counters follow the e-library."""

from __future__ import annotations

from django.dispatch import receiver

from cms.organisations.signals import groups_provisioned


@receiver(groups_provisioned)
def grant_programme_roles(sender, **kwargs) -> None:
    from .roles import ensure_programme_roles

    ensure_programme_roles()
