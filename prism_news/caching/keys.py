"""What a cached answer is kept under: the host, the path and the query parameters that
change the answer (docs/caching.md, "What makes a key").

A view says which parameters its answer depends on when it marks itself cacheable
(``mark_cacheable(parameters=("page",))``); without ``parameters``, every parameter counts,
as for the API, which refuses the ones it does not know (400, never kept). An answer whose
view named its parameters is kept under the key made from those alone, and a small record
per host and path says which they are. The middleware looks the answer up before any view
runs: it reads the key made from every parameter and that record in one round trip and,
when the request carries other parameters, reads the key made from the recorded ones. So
``/politics/?utm_source=x`` and ``/politics/?junk=1`` are the entry of ``/politics/``, while
``/politics/?page=2`` has its own.

At the edge, a URL with parameters its answer ignores gets ``s-maxage=0`` (its answer is
never recorded for purging, so no shared cache may keep it), and the URL recorded for an
answer is the request's without them (:func:`kept_url`): the URL a shared cache keeps.

The record only says where to look: an entry is what a view answered for a request with
exactly the entry's parameters (the others made no difference to it), and it is served
only while valid, like any other, so a record left by a page since replaced finds entries
that are stale already.
"""

import hashlib
from urllib.parse import parse_qsl, urlencode

from django.utils.encoding import escape_uri_path

ENTRY_KEY = "prism_news:response:{}"
PARAMETERS_KEY = "prism_news:parameters:{}"


def _digest(*parts):
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def request_key(request, parameters=None):
    """The key of ``request``'s answer: its host, path and query (in any parameter order),
    or only the query ``parameters`` among them when the view named them."""
    chosen = sorted(
        (name, values)
        for name, values in request.GET.lists()
        if parameters is None or name in parameters
    )
    return ENTRY_KEY.format(
        _digest(request.get_host(), request.path, urlencode(chosen, doseq=True))
    )


def parameters_key(request):
    """The key of the record of which parameters the answers for this host and path use."""
    return PARAMETERS_KEY.format(_digest(request.get_host(), request.path))


def extra_parameters(request, parameters):
    """The request's parameters that its answer does not depend on (left out of its key)."""
    if parameters is None:
        return set()
    return set(request.GET) - set(parameters)


def kept_url(request, parameters):
    """The request's absolute URL without the parameters its answer does not depend on."""
    if parameters is None:
        return request.build_absolute_uri()
    query = request.META.get("QUERY_STRING", "")
    kept = [(n, v) for n, v in parse_qsl(query, keep_blank_values=True) if n in parameters]
    location = escape_uri_path(request.path) + ("?" + urlencode(kept) if kept else "")
    return request.build_absolute_uri(location)
