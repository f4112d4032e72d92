"""Failures of the offline export; each message is Vietnamese, for the operator."""

from __future__ import annotations


class OfflineError(Exception):
    """A ZIM file could not be built, checked or fetched."""
