"""Each change an editor makes to a page in Wagtail's admin commits whole, or not at all.

Wagtail 8's page views write in several steps, each its own transaction: publishing
from the edit view saves the page row (live at once for a live page), then a revision,
then publishes it (the live revision, ``first_published_at``, the log entry), and the
create view adds the page before it saves and publishes its revision. A failure between
two steps (the database busy, a refused publication raising, a lost connection) left
readers a page with no live revision, publication date or log entry.
``AtomicPageAdminMiddleware`` runs every POST to Wagtail's page views (``wagtailadmin_pages``)
in one transaction; what runs after commit (cache invalidation, purges, webhook events)
then runs once, after the whole change. Reads, previews and everything outside the page
admin keep Django's autocommit, so none of them holds the database's write lock.
"""

from django.db import router, transaction
from wagtail.models import Page

NAMESPACE = "wagtailadmin_pages"


def wraps_in_a_transaction(request):
    """Whether ``request`` (resolved) is a page change made in Wagtail's admin."""
    match = request.resolver_match
    return (
        request.method == "POST"
        and match is not None
        and NAMESPACE in match.namespaces
        # A preview stores the form in the session and writes no page.
        and not match.url_name.startswith("preview")
    )


class AtomicPageAdminMiddleware:
    """Place it last in ``MIDDLEWARE`` (it calls the view itself, after every other
    middleware's ``process_view``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not wraps_in_a_transaction(request):
            return None
        with transaction.atomic(using=router.db_for_write(Page)):
            return view_func(request, *view_args, **view_kwargs)
