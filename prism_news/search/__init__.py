"""Japanese-capable search: analysis, the backend, article relevance and snippets.

The public helpers (``search_articles``, ``snippet``) are what readers' search
pages and the API call; docs/search.md explains analysis, relevance and limits.
"""

from .ranking import search_articles
from .snippets import body_text, found_snippet, snippet

__all__ = ["body_text", "found_snippet", "search_articles", "snippet"]
