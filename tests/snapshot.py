"""Build expensive database state once per test session and put it back in each test that
asks for it, in a fraction of the time building it takes.

``DatabaseSnapshot.take(build)`` runs ``build`` inside a transaction, records every row it
inserted, changed or deleted (all managed models, read back through the ORM), then rolls the
transaction back. ``restore()`` replays those rows with plain SQL deletes and inserts inside
the current test's transaction, the way Django loads fixtures (``save(raw=True)``: no
signals, no ``auto_now``), each value prepared by its field for the database. The search
index is not copied row by row: it belongs to the search backend, so restored pages are
indexed again through Wagtail's index API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

# Search index tables are filled by the backend (FTS5 virtual tables, tsvectors), not copied.
INDEX_APPS = {"modelsearch", "wagtailsearch"}


class _Rollback(Exception):
    """Raised to roll back the transaction the snapshot was built in."""


def _snapshot_models() -> list[type[models.Model]]:
    return [
        model for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
        and model._meta.app_label not in INDEX_APPS
    ]


def _rows(model: type[models.Model]) -> dict:
    """Primary key → raw column values of the model's own table."""
    columns = [f.column for f in model._meta.local_concrete_fields]
    pk_column = model._meta.pk.column
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {table}")  # table and column names come from the ORM
        position = columns.index(pk_column)
        return {row[position]: row for row in cursor.fetchall()}


@dataclass
class _ModelChanges:
    model: type[models.Model]
    gone: list = field(default_factory=list)  # primary keys to delete (deleted or changed)
    rows: list = field(default_factory=list)  # instances to insert (inserted or changed)


@dataclass
class DatabaseSnapshot:
    changes: list[_ModelChanges] = field(default_factory=list)
    indexed: list = field(default_factory=list)  # specific pages to index again

    @classmethod
    def take(cls, build: Callable[[], object]) -> DatabaseSnapshot:
        snapshot = cls()
        try:
            with transaction.atomic():
                targets = _snapshot_models()
                before = {model: _rows(model) for model in targets}
                build()
                for model in targets:
                    snapshot._record(model, before[model], _rows(model))
                raise _Rollback
        except _Rollback:
            pass
        return snapshot

    def _record(self, model, before: dict, after: dict) -> None:
        changed = [pk for pk, row in after.items() if pk in before and before[pk] != row]
        inserted = [pk for pk in after if pk not in before]
        deleted = [pk for pk in before if pk not in after]
        if not (changed or inserted or deleted):
            return
        rows = list(model._base_manager.filter(pk__in=changed + inserted))
        self.changes.append(_ModelChanges(model, deleted + changed, rows))
        from wagtail.models import Page

        if issubclass(model, Page) and model is not Page:
            self.indexed.extend(rows)

    def restore(self) -> None:
        from wagtail.search import index

        with transaction.atomic():  # foreign keys are checked at the end, as in loaddata
            for change in self.changes:
                _delete_rows(change.model, change.gone)
                _insert_rows(change.model, change.rows)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), [change.model for change in self.changes]
                ):
                    cursor.execute(sql)
        for page in self.indexed:
            index.insert_or_update_object(page)


def _delete_rows(model: type[models.Model], pks: list) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 500):  # below SQLite's limit of bound parameters
            chunk = pks[start:start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE {pk_column} IN ({marks})", chunk)


def _insert_rows(model: type[models.Model], rows: list) -> None:
    if not rows:
        return
    fields = model._meta.local_concrete_fields
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
              for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
