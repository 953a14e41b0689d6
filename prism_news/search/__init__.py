"""Japanese-capable search: analysis, the backend, article relevance and snippets.

The public helpers (``search_articles``, ``snippet``) are what readers' search
pages and the API call; docs/search.md explains analysis, relevance and limits.
"""

from .ranking import search_articles
from .snippets import snippet

__all__ = ["search_articles", "snippet"]
