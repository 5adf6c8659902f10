"""Alembic migrations of the store, shipped in the package and run by
:meth:`arshjul.store.Store.upgrade` (no ``alembic.ini`` needed)."""
