"""Apply the cache invalidations still waiting in the outbox (for cron)."""

from django.core.management.base import BaseCommand, CommandError

from prism_news.caching.outbox import apply_all


class Command(BaseCommand):
    help = (
        "Apply the response cache and edge invalidations that could not be applied when "
        "their change committed (the cache or the edge was unreachable). Exits with an "
        "error while some are still waiting, so that cron reports it."
    )

    def handle(self, *args, **options):
        applied, left = apply_all()
        self.stdout.write(f"Applied {applied} waiting cache invalidations; {left} still waiting.")
        if left:
            raise CommandError(
                f"{left} cache invalidations could not be applied (see the log and the "
                "last_error of prism_news.PendingInvalidation)"
            )
