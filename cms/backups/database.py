"""A consistent copy of the database while the site and the workers keep writing: SQLite's
online backup API (one snapshot of the committed pages), ``pg_dump``'s custom format (one
repeatable-read transaction) for PostgreSQL; and the way back into an empty database."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _

from .exceptions import NotEmpty, ToolFailed

DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def dump_name(alias: str = "default") -> str:
    try:
        return DUMP_NAMES[vendor(alias)]
    except KeyError:
        raise ToolFailed(_("Chưa hỗ trợ sao lưu loại cơ sở dữ liệu này: %(vendor)s")
                         % {"vendor": vendor(alias)}) from None


def _pg_args(alias: str) -> tuple[list[str], dict]:
    db = connections[alias].settings_dict
    args = ["--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise ToolFailed(detail=f"{' '.join(cmd[:1])}: {done.stderr.strip()[-2000:]}")


def dump(dest: Path, alias: str = "default") -> None:
    if vendor(alias) == "sqlite":
        source = connections[alias].settings_dict["NAME"]
        with contextlib.closing(sqlite3.connect(source, timeout=60)) as src, \
                contextlib.closing(sqlite3.connect(dest)) as dst:
            src.backup(dst)  # all pages in one step: one snapshot
        return
    args, env = _pg_args(alias)
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dest),
          *args], env)


def is_empty(alias: str = "default") -> bool:
    connection = connections[alias]
    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).exists():
        return True
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def load(source: Path, alias: str = "default") -> None:
    """Fill the (empty) database from a dump made by :func:`dump`."""
    if not is_empty(alias):
        raise NotEmpty
    connection = connections[alias]
    connection.close()
    if connection.vendor == "sqlite":
        with contextlib.closing(sqlite3.connect(source)) as src, \
                contextlib.closing(sqlite3.connect(connection.settings_dict["NAME"])) as dst:
            src.backup(dst)
        return
    args, env = _pg_args(alias)
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", *args, str(source)], env)
