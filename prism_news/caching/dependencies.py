"""What a response being made depends on, collected by the code that loads content."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

_current = ContextVar("prism_news_cache_dependencies", default=None)


@dataclass
class Dependencies:
    tags: set = field(default_factory=set)
    #: The earliest ``expire_at`` of the pages shown: the response may not outlive it.
    expires: object = None
    #: Set by views whose answer is the same for every anonymous reader.
    cacheable: bool = False
    #: The query parameters the answer depends on (the others are left out of its key),
    #: or None for every parameter.
    parameters: frozenset | None = frozenset()
    #: When the response started to be made, on the cache's clock (``store.now()``).
    started: object = None
    #: Set by views whose redirects (301, 302) are the same for every anonymous reader.
    redirects: bool = False

    def add_pages(self, pages):
        for page in pages:
            if page is None:
                continue
            self.tags.add(page_tag(page.pk))
            self.add_expiry(getattr(page, "expire_at", None))

    def add_expiry(self, moment):
        if moment is not None and (self.expires is None or moment < self.expires):
            self.expires = moment


def page_tag(pk):
    return f"page:{pk}"


def sitemap_tag(locale_id):
    """The sitemaps of one language (every page of it) and the index."""
    return f"sitemap:{locale_id}"


def byline_tag(translation_key):
    """The pages and feeds of one author (every language): an article naming them
    appeared, disappeared or changed its byline."""
    return f"byline:{translation_key}"


#: Every sitemap of every language: a subtree moved or hidden, a host page changed.
EVERY_SITEMAP = "sitemaps"


@contextmanager
def collecting():
    """Collect the dependencies of what runs inside (one response)."""
    dependencies = Dependencies()
    token = _current.set(dependencies)
    try:
        yield dependencies
    finally:
        _current.reset(token)


def current():
    """The dependencies being collected, or None."""
    return _current.get()


def depends_on(*tags):
    """Record that the response being made shows what ``tags`` name (no-op outside one)."""
    dependencies = _current.get()
    if dependencies is not None:
        dependencies.tags.update(tag for tag in tags if tag)


def depends_on_pages(pages):
    """Record pages the response shows (their ids, and their expiry dates)."""
    dependencies = _current.get()
    if dependencies is not None:
        dependencies.add_pages(pages)


def depends_until(moment):
    """Record that the response being made may not outlive ``moment`` (a datetime, or
    None for no limit): e.g. a count that changes when an article expires."""
    dependencies = _current.get()
    if dependencies is not None:
        dependencies.add_expiry(moment)


def mark_cacheable(parameters=None, *, redirects=False):
    """The response being made is the same for every anonymous reader: it may be cached.

    ``parameters`` names the query parameters the response depends on (e.g. ``("page",)``;
    ``()`` for none): it is kept under a key made from those alone, so a request with any
    other parameter (``?utm_source=``, ``?junk=``) is answered from the same entry. Without
    it, every parameter is part of the key. Called more than once for one response, the
    parameters add up (and "every parameter" wins).

    With ``redirects``, a 301 or 302 answer is kept too, with its ``Location`` (the API's
    ``find``); otherwise only a 200 is.
    """
    dependencies = _current.get()
    if dependencies is None:
        return
    dependencies.cacheable = True
    dependencies.redirects = dependencies.redirects or redirects
    if parameters is None or dependencies.parameters is None:
        dependencies.parameters = None
    else:
        dependencies.parameters = dependencies.parameters | frozenset(parameters)
