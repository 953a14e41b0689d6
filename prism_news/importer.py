"""Import of AI-pipeline articles from JSON Lines, as drafts.

Each line is one article in one locale. A line is checked completely before
anything is written, and written in its own transaction, so a bad line leaves
nothing behind and never stops the good ones. See docs/provenance.md.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Locale

from .provenance import AIInvolvement

REQUIRED = {
    "external_id", "locale", "category", "title", "summary", "body", "tags", "sources",
    "ai_involvement", "ai_model",
}  # fmt: skip
OPTIONAL = {"hero_image", "hero_image_alt"}
SOURCE_KEYS = {"title", "publisher", "url", "language", "published_at"}


class LineError(Exception):
    """A problem with one line: ``field`` names where, ``message`` what."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (line number, field, message)

    @property
    def failed(self):
        return len(self.errors)


def _messages(error):
    if hasattr(error, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return " ".join(error.messages)


class ArticleImporter:
    def __init__(self, *, base_dir=None, dry_run=False):
        self.base_dir = Path(base_dir or ".")
        self.dry_run = dry_run
        self._locales = {}
        self._categories = {}

    # --- Lookups, cached for the whole run

    def locale(self, code):
        if code not in self._locales:
            self._locales[code] = Locale.objects.filter(language_code=code).first()
        if self._locales[code] is None:
            raise LineError("locale", f"no locale {code!r} (known: {self.known_locales()})")
        return self._locales[code]

    def known_locales(self):
        return ", ".join(Locale.objects.values_list("language_code", flat=True))

    def category(self, slug, locale):
        from .models import CategoryIndexPage

        key = (slug, locale.pk)
        if key not in self._categories:
            self._categories[key] = CategoryIndexPage.objects.filter(
                slug=slug, locale=locale
            ).first()
        if self._categories[key] is None:
            raise LineError(
                "category", f"no category with the slug {slug!r} in {locale.language_code}"
            )
        return self._categories[key]

    # --- One line

    def parse(self, text):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise LineError(
                "(line)", f"not valid JSON: {error.msg} at column {error.colno}"
            ) from None
        if not isinstance(data, dict):
            raise LineError("(line)", "expected a JSON object")
        unknown = sorted(set(data) - REQUIRED - OPTIONAL)
        if unknown:
            raise LineError(unknown[0], "unknown key (unknown: " + ", ".join(unknown) + ")")
        missing = sorted(REQUIRED - set(data))
        if missing:
            raise LineError(missing[0], "missing (missing: " + ", ".join(missing) + ")")
        for key in ("external_id", "locale", "category", "title", "summary", "ai_model"):
            if not isinstance(data[key], str):
                raise LineError(key, "expected a string")
        if not data["external_id"].strip():
            raise LineError("external_id", "must not be empty")
        if data["ai_involvement"] not in AIInvolvement.values:
            raise LineError("ai_involvement", "expected one of " + ", ".join(AIInvolvement.values))
        if not isinstance(data["tags"], list) or not all(isinstance(t, str) for t in data["tags"]):
            raise LineError("tags", "expected a list of strings")
        if not isinstance(data["sources"], list):
            raise LineError("sources", "expected a list of objects")
        if not isinstance(data["body"], list):
            raise LineError("body", "expected a list of blocks")
        return data

    def sources(self, items):
        from .models import ArticleSource

        rows = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise LineError(f"sources[{i}]", "expected an object")
            unknown = sorted(set(item) - SOURCE_KEYS)
            if unknown:
                raise LineError(f"sources[{i}].{unknown[0]}", "unknown key")
            row = ArticleSource(
                **{key: item.get(key) or "" for key in SOURCE_KEYS - {"published_at"}}
            )
            row.published_at = item.get("published_at") or None
            try:
                row.full_clean(exclude=["page"])
            except ValidationError as error:
                name, messages = next(iter(error.message_dict.items()))
                raise LineError(f"sources[{i}].{name}", " ".join(messages)) from None
            rows.append(row)
        return rows

    def body(self, blocks):
        from .blocks import ArticleBodyBlock

        stream_block = ArticleBodyBlock()
        if not blocks:
            raise LineError("body", "at least one block is required")
        raw = []
        for i, block in enumerate(blocks):
            if not isinstance(block, dict) or set(block) - {"type", "value", "id"}:
                raise LineError(f"body[{i}]", 'expected {"type": ..., "value": ...}')
            kind = block.get("type")
            if kind not in stream_block.child_blocks:
                raise LineError(f"body[{i}].type", f"unknown block type {kind!r}")
            raw.append({"type": kind, "value": self._block_value(i, kind, block.get("value"))})
        value = stream_block.to_python(raw)
        try:
            stream_block.clean(value)
        except ValidationError as error:
            for index, child_error in getattr(error, "block_errors", {}).items():
                raise LineError(f"body[{index}]", _messages(child_error)) from None
            non_block = getattr(error, "non_block_errors", None)
            raise LineError(
                "body", _messages(non_block) if non_block else _messages(error)
            ) from None
        return value

    def _block_value(self, index, kind, value):
        """The API's block value (what it emits) in the database's form."""
        if kind == "heading" and isinstance(value, dict):
            return {**value, "level": str(value.get("level", 2))}
        if kind == "image" and isinstance(value, dict):
            return {
                "image": value.get("id"),
                "alt": value.get("alt", ""),
                "caption": value.get("caption", ""),
                "credit": value.get("credit", ""),
            }
        if kind == "embed" and isinstance(value, dict):
            return value.get("url")
        return value

    def hero_image(self, data):
        path = data.get("hero_image")
        if not path:
            return None
        if not isinstance(path, str):
            raise LineError("hero_image", "expected a file path")
        if not (data.get("hero_image_alt") or "").strip():
            raise LineError("hero_image_alt", "required with hero_image")
        file_path = (self.base_dir / path).resolve()
        if not file_path.is_file():
            raise LineError("hero_image", f"no such file: {path}")
        Image = get_image_model()
        title = f"Import: {file_path.name}"
        existing = Image.objects.filter(title=title).first()
        if existing is not None:
            return existing
        with open(file_path, "rb") as handle:
            image = Image(title=title, file=ImageFile(handle, name=file_path.name))
            try:
                image.full_clean(exclude=["collection"])
            except ValidationError as error:
                raise LineError("hero_image", _messages(error)) from None
            if self.dry_run:
                return None  # checked; files are not transactional, so nothing is stored
            image.save()
        return image

    def find_existing(self, data, locale, sources):
        from .models import ArticlePage

        article = ArticlePage.objects.filter(external_id=data["external_id"], locale=locale).first()
        if article is None and sources:
            article = ArticlePage.objects.filter(locale=locale, sources__url=sources[0].url).first()
        return article

    def import_line(self, text):
        """Create or update the draft for one line; return "created" or "updated"."""
        from .models import ArticlePage

        data = self.parse(text)
        locale = self.locale(data["locale"])
        category = self.category(data["category"], locale)
        sources = self.sources(data["sources"])
        body = self.body(data["body"])
        with transaction.atomic():
            image = self.hero_image(data)
            article = self.find_existing(data, locale, sources)
            created = article is None
            if created:
                article = ArticlePage(live=False, locale=locale)
            elif article.get_parent().pk != category.pk:
                raise LineError("category", "the article exists in another category; move it first")
            else:
                article = article.get_latest_revision_as_object()
            article.title = data["title"]
            article.summary = data["summary"]
            article.body = body
            article.external_id = data["external_id"]
            article.ai_involvement = data["ai_involvement"]
            article.ai_model = data["ai_model"]
            if image is not None:
                article.hero_image = image
                article.hero_image_alt = data["hero_image_alt"]
            article.sources = sources
            article.tags.set(data["tags"])
            try:
                if created:
                    article.slug = ""
                    category.add_child(instance=article)
                article.save_revision(log_action=True)  # a draft: never published here
            except ValidationError as error:
                name, messages = next(iter(error.message_dict.items()))
                raise LineError(name, " ".join(messages)) from None
            if self.dry_run:
                transaction.set_rollback(True)
        return "created" if created else "updated"

    def run(self, lines, progress=None):
        result = Result()
        lines = list(lines)
        for number, text in enumerate(lines, start=1):
            if text.strip():
                try:
                    outcome = self.import_line(text)
                except LineError as error:
                    result.errors.append((number, error.field, error.message))
                else:
                    setattr(result, outcome, getattr(result, outcome) + 1)
            if progress:
                progress(number, len(lines), result)
        return result
