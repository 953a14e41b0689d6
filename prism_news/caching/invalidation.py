"""Invalidate tags: after the transaction commits, mark them and purge the edge."""

import logging
import time

from django.db import transaction

from . import purge
from .store import TAG_KEY, cache

logger = logging.getLogger(__name__)


def invalidate(tags):
    """Invalidate ``tags`` once the current transaction commits (at once outside one)."""
    tags = {tag for tag in tags if tag}
    if tags:
        transaction.on_commit(lambda: invalidate_now(tags))


def invalidate_now(tags):
    now = time.time()
    cache().set_many({TAG_KEY.format(tag): now for tag in tags}, None)
    urls = purge.take(tags)
    logger.debug("Invalidated %s; purging %d URLs", sorted(tags), len(urls))
    purge.purge(urls)
