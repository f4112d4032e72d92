"""A copy of the freshly migrated test database, made once per session, from which tests
that run real ``manage.py`` processes get a database of their own in a second instead of
running every migration again: a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on
PostgreSQL."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

SUFFIX = "_migrated"


def _is_postgres(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql"


def _admin(connection: BaseDatabaseWrapper):
    """An autocommit connection to the server's maintenance database."""
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(dbname="postgres", host=db["HOST"], port=db["PORT"], user=db["USER"],
                           password=db.get("PASSWORD") or None, autocommit=True)


def _sqlite_copy(source: str | Path, dest: Path) -> None:
    with contextlib.closing(sqlite3.connect(source)) as src, \
            contextlib.closing(sqlite3.connect(dest)) as dst:
        src.backup(dst)


def make(connection: BaseDatabaseWrapper) -> None:
    name = connection.settings_dict["NAME"]
    if _is_postgres(connection):
        connections.close_all()  # a template database must have no other sessions
        with _admin(connection) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}{SUFFIX}"')
            admin.execute(f'CREATE DATABASE "{name}{SUFFIX}" TEMPLATE "{name}"')
    else:
        _sqlite_copy(name, Path(f"{name}{SUFFIX}"))


def drop(connection: BaseDatabaseWrapper) -> None:
    name = connection.settings_dict["NAME"]
    if _is_postgres(connection):
        with _admin(connection) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}{SUFFIX}"')
    else:
        Path(f"{name}{SUFFIX}").unlink(missing_ok=True)


def clone(connection: BaseDatabaseWrapper, *, pg_name: str, sqlite_path: Path) -> None:
    """A new database with the migrated schema and rows: ``pg_name`` on the PostgreSQL
    server, or the SQLite file ``sqlite_path``."""
    name = connection.settings_dict["NAME"]
    if _is_postgres(connection):
        with _admin(connection) as admin:
            admin.execute(f'CREATE DATABASE "{pg_name}" TEMPLATE "{name}{SUFFIX}"')
    else:
        _sqlite_copy(f"{name}{SUFFIX}", sqlite_path)
