"""Invalidate tags: written down with the change, applied after it commits (``outbox``)."""

from . import purge
from .outbox import record
from .store import advance


def invalidate(tags):
    """Invalidate ``tags`` once the current transaction commits (at once outside one).
    The invalidation is written in the transaction: it survives a cache or edge that
    cannot take it then (docs/caching.md, "When a part fails")."""
    tags = {tag for tag in tags if tag}
    if tags:
        record(tags)


def invalidate_now(tags):
    """Apply an invalidation at once, bypassing the outbox (raises when a part fails)."""
    advance(tags)
    purge.purge(purge.take(tags))
