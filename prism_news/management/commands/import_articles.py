import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from prism_news.importer import ArticleImporter, split_lines


def printable(text):
    """``text`` safe for a terminal or a log: what the line held, with control
    characters and anything that cannot be encoded written as escapes."""
    return "".join(
        c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else repr(c)[1:-1] for c in text
    )


class Command(BaseCommand):
    stealth_options = ("stdin",)  # a stream to read "-" from, for call_command()
    help = (
        "Import articles from a JSON Lines file (one article in one locale a line) as drafts. "
        "Never publishes; running it again updates the same drafts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .jsonl file, or - for standard input")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report every line; write nothing"
        )

    def handle(self, *args, **options):
        # Messages go to the pipeline's logs: in English, whatever the site's language.
        with translation.override("en"):
            self.run(**options)

    def read(self, file, stdin):
        """The file's content, as bytes where possible (decoded line by line later), and
        its folder (None for standard input: no folder is implied for image files)."""
        if file == "-":
            stream = stdin or sys.stdin
            return getattr(stream, "buffer", stream).read(), None
        path = Path(file)
        try:
            return path.read_bytes(), path.resolve().parent
        except OSError as error:
            raise CommandError(f"{file}: cannot read it: {error.strerror or error}") from error

    def run(self, *, file, dry_run, **options):
        data, import_dir = self.read(file, options.get("stdin"))
        importer = ArticleImporter(import_dir=import_dir, dry_run=dry_run)
        result = importer.run(split_lines(data), progress=self.progress)
        self.stderr.write("")
        for number, field, message in result.warnings:
            line = printable(f"line {number}: {field}: {message}")
            self.stderr.write(self.style.WARNING(line))
        for number, field, message in result.errors:
            self.stderr.write(self.style.ERROR(printable(f"line {number}: {field}: {message}")))
        verb = "would be" if dry_run else "were"
        summary = (
            f"{result.created} created, {result.updated} updated as drafts, "
            f"{result.unchanged} unchanged "
            f"({'dry run: nothing ' + verb + ' written' if dry_run else 'nothing published'}), "
            f"{result.failed} failed"
        )
        if result.unexpected:
            summary += (
                f", {result.unexpected} of them unexpectedly (the tracebacks are logged by "
                "prism_news.importer at DEBUG level)"
            )
        summary += "."
        if result.failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def progress(self, done, total, result):
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        counts = (
            f"{result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.failed} failed"
        )
        self.stderr.write(f"\r[{bar}] {done}/{total} {counts}", ending="")
        self.stderr.flush()
