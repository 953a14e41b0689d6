"""Take up webhook deliveries whose worker died in the middle of an attempt."""

from django.core.management.base import BaseCommand

from prism_news.webhooks.tasks import recover_lost


class Command(BaseCommand):
    help = (
        "Webhook deliveries still 'sending' after their lease ran out (their worker "
        "stopped): count the attempt as lost and enqueue the next one (or mark the delivery "
        "failed when it was the last). Also marks the webhook tasks a dead worker left "
        "RUNNING as failed. The worker does this by itself when a lease runs out; run this "
        "from cron as well (every few minutes) with a task backend that cannot defer tasks."
    )

    def handle(self, *args, **options):
        found = recover_lost()
        self.stdout.write(
            f"{found['deliveries']} lost webhook deliveries taken up again; "
            f"{found['tasks']} stranded webhook tasks marked failed."
        )
