"""The PostgreSQL cursor of prepared lookups (imported only when psycopg is in use)."""

from django.db.backends.postgresql.base import ServerBindingCursor


class PreparingCursor(ServerBindingCursor):
    """Binds parameters on the server and prepares every statement it runs: psycopg keeps
    the prepared statement for the connection's life and reuses it for the same SQL."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)
