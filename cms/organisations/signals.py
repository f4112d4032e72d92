"""Signals for the channels above content: they extend provisioning without being imported."""

from django.dispatch import Signal

#: sent after setup_province or a new organisation's provisioning (no arguments): channels
#: grant their own model permissions to the groups it made
groups_provisioned = Signal()
