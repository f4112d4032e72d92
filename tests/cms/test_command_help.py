"""Every command Loa adds to manage.py explains itself in Vietnamese with ``--help``."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.management import get_commands, load_command_class

LOA_APPS = ("cms.", "media_pipeline", "translations", "search", "elibrary", "stations",
            "delivery", "offline", "programme", "demo")
COMMANDS = sorted((name, app) for name, app in get_commands().items()
                  if app.startswith(LOA_APPS))


def vietnamese(text: str) -> bool:
    """Has a letter only Vietnamese spelling uses here: đ, ơ, ư, ă or a tone mark."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return any(ch in "đơưă" for ch in text.lower()) or any(
        unicodedata.combining(ch) for ch in decomposed)


def test_loa_has_its_own_commands():
    assert {"load_demo", "deliver_to_ministry", "media_renditions", "setup_province",
            "export_zim"} <= {
        name for name, _app in COMMANDS}


@pytest.mark.parametrize(("name", "app"), COMMANDS, ids=[name for name, _app in COMMANDS])
def test_help_prints_in_vietnamese(name, app):
    command = load_command_class(app, name)
    text = command.create_parser("manage.py", name).format_help()
    assert command.help and command.help in " ".join(text.split())
    assert vietnamese(command.help), command.help
