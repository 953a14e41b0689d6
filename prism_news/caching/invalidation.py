"""Invalidate tags: after the transaction commits, mark them and purge the edge."""

import logging

from django.db import transaction

from . import purge
from .store import advance

logger = logging.getLogger(__name__)


def invalidate(tags):
    """Invalidate ``tags`` once the current transaction commits (at once outside one)."""
    tags = {tag for tag in tags if tag}
    if tags:
        transaction.on_commit(lambda: invalidate_now(tags))


def invalidate_now(tags):
    advance(tags)
    urls = purge.take(tags)
    logger.debug("Invalidated %s; purging %d URLs", sorted(tags), len(urls))
    purge.purge(urls)
