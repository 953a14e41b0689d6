"""Delete finished webhook deliveries older than a number of days."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from prism_news.conf import get_settings
from prism_news.webhooks.models import DeliveryStatus, WebhookDelivery


class Command(BaseCommand):
    help = (
        "Delete succeeded and failed webhook deliveries older than --days "
        "(default: PRISM_NEWS['WEBHOOK_RETENTION_DAYS']). Pending ones are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", help="Keep deliveries younger than this many days.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is None:
            days = get_settings()["WEBHOOK_RETENTION_DAYS"]
        elif not str(days).isdigit() or int(days) < 1:
            raise CommandError(f"--days: expected a whole number of days, 1 or more (got {days!r})")
        days = int(days)
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = WebhookDelivery.objects.filter(
            created_at__lt=cutoff, status__in=[DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED]
        )
        count = old.count()
        if not dry_run:
            # Redeliveries point at their original with SET_NULL: order does not matter.
            old.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} finished webhook deliveries older than {days} days.")
