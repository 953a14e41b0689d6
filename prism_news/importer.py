"""Import of AI-pipeline articles from JSON Lines, as drafts.

Each line is one article in one locale. A line is checked completely before
anything is written, and written in its own transaction, so a bad line leaves
nothing behind (database rows or image files) and never stops the good ones.
Every value is checked as the editor's form checks it (import_values), files are
read only from the media root and only as images Wagtail accepts (import_files),
and rich text is cleaned exactly as the editor's would be. The database keeps
(external_id, locale) unique, so two imports running at once cannot both create a
story. See docs/provenance.md.
"""

import codecs
import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import IntegrityError, OperationalError, transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.images import get_image_model
from wagtail.models import Locale
from wagtail.utils.file import hash_filelike

from .ai_involvement import AIInvolvement
from .ai_review import without_block_ids
from .blocks import ArticleBodyBlock
from .import_files import checked_image, media_root, resolve
from .import_values import (
    MAX_ID,
    LineError,
    check_block_shape,
    check_body_size,
    check_text_size,
    check_values,
    child_path,
    decode,
    shown,
)
from .markup import clean_rich_text, is_web_url
from .models import ArticlePage, ArticleSource, CategoryIndexPage

logger = logging.getLogger(__name__)

REQUIRED = {
    "external_id", "locale", "category", "title", "summary", "body", "tags", "sources",
    "ai_involvement", "ai_model",
}  # fmt: skip
OPTIONAL = {"hero_image", "hero_image_alt"}
SOURCE_KEYS = {"title", "publisher", "url", "language", "published_at"}
# The article fields a line sets, checked with the model's own field validation.
CHECKED_FIELDS = (
    "title", "summary", "external_id", "ai_involvement", "ai_model", "hero_image_alt",
)  # fmt: skip
TAG_MAX_LENGTH = 100  # taggit's Tag.name
STRUCT_BLOCKS = {"heading", "list", "quote", "image", "key_points"}
SLUG_BASE_LENGTH = 80
EXTERNAL_ID_MAX_LENGTH = ArticlePage._meta.get_field("external_id").max_length
IMAGE_TITLE_MAX_LENGTH = 255  # Wagtail's AbstractImage.title

__all__ = ["ArticleImporter", "LineError", "Result", "split_lines"]


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unexpected: int = 0  # failures that were not a known problem with the line (logged)
    errors: list = field(default_factory=list)  # (line number, field, message)
    warnings: list = field(default_factory=list)  # (line number, field, message)

    @property
    def failed(self):
        return len(self.errors)


def describe(error):
    """``(field, message)`` for any ``ValidationError``: by field, by list, or plain."""
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.error_dict.items()))
        messages = [m for e in errors for m in e.messages]
        return ("(line)" if name == "__all__" else name), " ".join(messages)
    return None, " ".join(getattr(error, "messages", None) or [str(error)])


def _block_error(path, error):
    """``(field, message)`` for a StreamField error: the path down to the innermost
    block that failed, e.g. ``body[2].items[0]``."""
    nested = getattr(error, "block_errors", None)
    if nested:
        key, child = next(iter(nested.items()))
        step = f"[{key}]" if isinstance(key, int) or str(key).isdigit() else f".{key}"
        return _block_error(path + step, child)
    non_block = getattr(error, "non_block_errors", None)
    return path, describe(non_block or error)[1]


def split_lines(data):
    """The lines of a JSON Lines file, numbered from 1: text, or a :class:`LineError`.

    Lines end at ``\\n`` only (U+2028, U+0085 and friends are characters inside a
    JSON string, not line breaks); a trailing ``\\r`` is dropped, as is a UTF-8 byte
    order mark. Bytes are decoded line by line, so one bad byte spoils one line.
    """
    if isinstance(data, bytes):
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith("\ufeff"):
        data = data[1:]
    newline = b"\n" if isinstance(data, bytes) else "\n"
    chunks = data.split(newline)
    if chunks and not chunks[-1]:
        chunks.pop()  # the newline that ends the last line
    for number, chunk in enumerate(chunks, start=1):
        if chunk.endswith(b"\r" if isinstance(chunk, bytes) else "\r"):
            chunk = chunk[:-1]
        if isinstance(chunk, bytes):
            try:
                chunk = chunk.decode("utf-8")
            except UnicodeDecodeError as error:
                chunk = LineError("(line)", f"not valid UTF-8 (byte {error.start + 1})")
        yield number, chunk


def import_digest(article):
    """A digest of everything a line sets, to tell an unchanged line from a change."""
    content = {
        "title": article.title,
        "summary": article.summary,
        "body": without_block_ids(article.body.get_prep_value()),  # new ids each import
        "external_id": article.external_id,
        "ai": [article.ai_involvement, article.ai_model],
        "hero": [article.hero_image_id, article.hero_image_alt],
        "sources": [
            [s.title, s.publisher, s.url, s.language, str(s.published_at or "")]
            for s in article.sources.all()
        ],
        "tags": sorted(tag.name for tag in article.tags.all()),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


class ArticleImporter:
    """Imports lines; ``import_dir`` is the import file's folder (None for standard
    input), where image paths point unless ``IMPORT_MEDIA_ROOT`` says otherwise."""

    def __init__(self, *, import_dir=None, dry_run=False):
        self.media_root = media_root(import_dir)
        self.dry_run = dry_run
        self._locales = {}
        self._categories = {}
        self.warnings = []

    # --- Lookups, cached for the whole run

    def locale(self, code):
        if code not in self._locales:
            self._locales[code] = Locale.objects.filter(language_code=code).first()
        if self._locales[code] is None:
            raise LineError("locale", f"no locale {shown(code)} (known: {self.known_locales()})")
        return self._locales[code]

    def known_locales(self):
        return ", ".join(Locale.objects.values_list("language_code", flat=True))

    def category(self, slug, locale):
        key = (slug, locale.pk)
        if key not in self._categories:
            self._categories[key] = CategoryIndexPage.objects.filter(
                slug=slug, locale=locale
            ).first()
        if self._categories[key] is None:
            raise LineError(
                "category", f"no category with the slug {shown(slug)} in {locale.language_code}"
            )
        return self._categories[key]

    # --- One line

    def parse(self, text):
        data = decode(text)
        if not isinstance(data, dict):
            raise LineError("(line)", "expected a JSON object")
        check_values(data)
        unknown = sorted(set(data) - REQUIRED - OPTIONAL)
        if unknown:
            names = ", ".join(shown(name)[1:-1] for name in unknown[:5])
            raise LineError(child_path("", unknown[0]), f"unknown key (unknown: {names})")
        missing = sorted(REQUIRED - set(data))
        if missing:
            raise LineError(missing[0], "missing (missing: " + ", ".join(missing) + ")")
        for key in ("external_id", "locale", "category", "title", "summary", "ai_model"):
            if not isinstance(data[key], str):
                raise LineError(key, "expected a string")
        check_text_size("summary", data["summary"])  # a TextField: no max_length of its own
        for key in OPTIONAL:
            if data.get(key) is not None and not isinstance(data[key], str):
                raise LineError(key, "expected a string")
        if not data["external_id"].strip():
            raise LineError("external_id", "must not be empty")
        if len(data["external_id"]) > EXTERNAL_ID_MAX_LENGTH:
            raise LineError("external_id", f"longer than {EXTERNAL_ID_MAX_LENGTH} characters")
        if data["ai_involvement"] not in AIInvolvement.values:
            raise LineError("ai_involvement", "expected one of " + ", ".join(AIInvolvement.values))
        if not isinstance(data["tags"], list) or not all(isinstance(t, str) for t in data["tags"]):
            raise LineError("tags", "expected a list of strings")
        for i, tag in enumerate(data["tags"]):
            if not tag.strip() or len(tag) > TAG_MAX_LENGTH:
                raise LineError(f"tags[{i}]", f"expected 1 to {TAG_MAX_LENGTH} characters")
        if not isinstance(data["sources"], list):
            raise LineError("sources", "expected a list of objects")
        if not isinstance(data["body"], list):
            raise LineError("body", "expected a list of blocks")
        check_body_size(data["body"])
        return data

    def sources(self, items):
        rows = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise LineError(f"sources[{i}]", "expected an object")
            unknown = sorted(set(item) - SOURCE_KEYS)
            if unknown:
                raise LineError(child_path(f"sources[{i}]", unknown[0]), "unknown key")
            for key, value in item.items():
                if value is not None and not isinstance(value, str):
                    raise LineError(f"sources[{i}].{key}", "expected a string")
            row = ArticleSource(
                **{key: item.get(key) or "" for key in SOURCE_KEYS - {"published_at"}}
            )
            row.published_at = item.get("published_at") or None
            try:
                row.full_clean(exclude=["page"])
            except ValidationError as error:
                name, message = describe(error)
                raise LineError(f"sources[{i}].{name}", message) from None
            rows.append(row)
        return rows

    def body(self, blocks, warn):
        stream_block = ArticleBodyBlock()
        if not blocks:
            raise LineError("body", "at least one block is required")
        raw = []
        for i, block in enumerate(blocks):
            if not isinstance(block, dict) or set(block) - {"type", "value", "id"}:
                raise LineError(f"body[{i}]", 'expected {"type": ..., "value": ...}')
            kind = block.get("type")
            if not isinstance(kind, str) or kind not in stream_block.child_blocks:
                raise LineError(f"body[{i}].type", f"unknown block type {shown(kind)}")
            value = self._block_value(i, kind, block.get("value"), stream_block, warn)
            check_block_shape(stream_block.child_blocks[kind], value, f"body[{i}]")
            raw.append({"type": kind, "value": value})
        try:
            # What the editor's form does with what it received: convert, then validate;
            # the cleaned value (not the raw one) is what is stored.
            return stream_block.clean(stream_block.to_python(raw))
        except ValidationError as error:
            raise LineError(*_block_error("body", error)) from None

    def _block_value(self, index, kind, value, stream_block, warn):
        """The API's block value (what it emits) in the database's form."""
        if kind == "paragraph":
            if not isinstance(value, str):
                raise LineError(f"body[{index}].value", "expected an HTML string")
            check_text_size(f"body[{index}].value", value)  # before parsing it
            features = stream_block.child_blocks["paragraph"].features
            cleaned, removals = clean_rich_text(value, features)
            if removals:
                names = ", ".join(sorted({f"<{r.tag}>" for r in removals}))
                warn(f"body[{index}]", f"removed markup an editor could not use: {names}")
            return cleaned
        if kind in STRUCT_BLOCKS and not isinstance(value, dict):
            raise LineError(f"body[{index}].value", "expected an object")
        if kind == "list" and not isinstance(value.get("items", []), list):
            raise LineError(f"body[{index}].items", "expected a list of strings")
        if kind == "key_points" and not isinstance(value.get("points", []), list):
            raise LineError(f"body[{index}].points", "expected a list of strings")
        if kind == "heading":
            level = value.get("level", 2)
            if type(level) is int or isinstance(level, str):
                return {**value, "level": str(level)}
            raise LineError(f"body[{index}].level", "expected 2, 3 or 4")
        if kind == "image":
            image_id = value.get("id")
            if type(image_id) is not int or not 0 < image_id <= MAX_ID:
                raise LineError(f"body[{index}].id", "expected the id of an image")
            unknown = sorted(set(value) - {"id", "alt", "caption", "credit"})
            if unknown:
                raise LineError(child_path(f"body[{index}]", unknown[0]), "unknown key")
            return {
                "image": image_id,
                "alt": value.get("alt", ""),
                "caption": value.get("caption", ""),
                "credit": value.get("credit", ""),
            }
        if kind == "embed":
            url = value.get("url") if isinstance(value, dict) else value
            if not is_web_url(url):
                raise LineError(f"body[{index}].url", "expected an http:// or https:// address")
            return url
        return value

    def hero_image(self, data, stored_files):
        """The hero image for the line's file, stored once per distinct file (by content)."""
        name = data.get("hero_image")
        if not name:
            return None
        if not (data.get("hero_image_alt") or "").strip():
            raise LineError("hero_image_alt", "required with hero_image")
        upload = checked_image(resolve(self.media_root, name))
        Image = get_image_model()
        digest = hash_filelike(upload)
        existing = Image.objects.filter(file_hash=digest).first()
        if existing is not None:
            return existing
        upload.seek(0)
        title = f"Import: {upload.name}"[:IMAGE_TITLE_MAX_LENGTH]
        image = Image(title=title, file=ImageFile(upload, upload.name))
        image.file_hash = digest
        try:
            image.full_clean(exclude=["collection"])
        except ValidationError as error:
            raise LineError("hero_image", describe(error)[1]) from None
        if self.dry_run:
            return None  # checked; files are not transactional, so nothing is stored
        image.save()
        stored_files.append((image.file.storage, image.file.name))
        return image

    def find_existing(self, data, locale, sources):
        """The article a line updates: the one with its external_id in its locale, or
        else one in that locale with the line's first source URL and no external_id
        (written in the editor, now taken over by the pipeline). An article that has
        another external_id is another story, whatever its sources. Aliases share
        their original's fields and are never matched."""
        articles = ArticlePage.objects.filter(locale=locale, alias_of__isnull=True)
        article = articles.filter(external_id=data["external_id"]).first()
        if article is None and sources:
            article = articles.filter(external_id="", sources__url=sources[0].url).first()
        return article

    def check_article(self, article):
        exclude = [f.name for f in ArticlePage._meta.fields if f.name not in CHECKED_FIELDS]
        try:
            article.clean_fields(exclude=exclude)
            article.check_article_rules()
        except ValidationError as error:
            name, message = describe(error)
            raise LineError(name or "(line)", message) from None

    def import_line(self, text, warn=lambda field, message: None):
        """Create or update the draft for one line: "created", "updated" or "unchanged"."""
        stored_files = []
        data = None
        try:
            with transaction.atomic():
                data = self.parse(text)
                locale = self.locale(data["locale"])
                category = self.category(data["category"], locale)
                sources = self.sources(data["sources"])
                body = self.body(data["body"], warn)
                outcome = self._write(data, locale, category, sources, body, stored_files)
                if self.dry_run:
                    transaction.set_rollback(True)
        except BaseException as error:
            # The database rolled back; files are not transactional.
            for storage, name in stored_files:
                storage.delete(name)
            if isinstance(error, IntegrityError) and data is not None:
                raise self.conflict(data) from None
            if isinstance(error, OperationalError):  # SQLite's lock, a lost connection
                logger.debug("import_articles: the database failed", exc_info=True)
                raise LineError(
                    "(line)",
                    "the database was busy or unavailable (another import running at the "
                    "same time?); nothing was written for this line (import it again)",
                ) from None
            raise
        return outcome

    def taken(self, data):
        return ArticlePage.objects.filter(
            external_id=data["external_id"], locale__language_code=data["locale"]
        ).exists()

    def conflict(self, data):
        """The error for a line whose write the database refused: another import
        (another process) created the same story since this line looked it up."""
        if self.taken(data):
            return LineError(
                "external_id",
                f"{shown(data['external_id'])} in {data['locale']} was created by another "
                "import running at the same time; nothing was written for this line "
                "(import it again to update that article)",
            )
        return LineError(
            "(line)",
            "the database refused the write because of a concurrent change; nothing was "
            "written for this line (import it again)",
        )

    def _write(self, data, locale, category, sources, body, stored_files):
        existing = self.find_existing(data, locale, sources)
        if existing is None:
            article = ArticlePage(live=False, locale=locale)
            before = None
        elif existing.get_parent().pk != category.pk:
            raise LineError("category", "the article exists in another category; move it first")
        else:
            article = existing.get_latest_revision_as_object()
            before = import_digest(article)
        article.title = data["title"]
        article.summary = data["summary"]
        article.body = body
        article.external_id = data["external_id"]
        article.ai_involvement = data["ai_involvement"]
        article.ai_model = data["ai_model"]
        article.sources = sources
        article.tags.set(data["tags"])
        if data.get("hero_image"):
            article.hero_image_alt = data.get("hero_image_alt") or ""
        self.check_article(article)
        image = self.hero_image(data, stored_files)
        if image is not None:
            article.hero_image = image
        if before is not None and import_digest(article) == before:
            return "unchanged"
        try:
            if existing is None:
                base = slugify(data["title"], allow_unicode=True)[:SLUG_BASE_LENGTH] or "article"
                article.slug = find_available_slug(category, base)
                category.add_child(instance=article)
            article.save_revision(log_action=True)  # a draft: never published here
            if existing is not None and not existing.external_id:
                # Taken over from the editor: the row (which a draft leaves alone) carries
                # the id now, so the next line with another id finds nothing here and
                # the database's uniqueness sees this article.
                ArticlePage.objects.filter(pk=existing.pk).update(
                    external_id=data["external_id"], external_id_locale=locale
                )
        except ValidationError as error:
            if existing is None and self.taken(data):
                # Created by another import since find_existing looked: whichever check
                # noticed it first (the slug, the constraint), the reason is the same.
                raise self.conflict(data) from None
            name, message = describe(error)
            if any(
                e.code == "external_id_taken"
                for e in getattr(error, "error_dict", {}).get("__all__", [])
            ):
                name = "external_id"  # the unique constraint, checked before the write
            raise LineError(name or "(line)", message) from None
        return "created" if existing is None else "updated"

    def run(self, lines, progress=None):
        """Import numbered lines (as :func:`split_lines` gives them); never raises for a
        line. An unexpected exception is that line's error too: its traceback is logged
        at DEBUG level (a run of bad lines must not bury the output in tracebacks), and
        the result counts such failures apart."""
        result = Result()
        lines = list(lines)
        for done, (number, text) in enumerate(lines, start=1):
            if isinstance(text, LineError):
                result.errors.append((number, text.field, text.message))
            elif text.strip():

                def warn(field, message, number=number):
                    result.warnings.append((number, field, message))

                try:
                    outcome = self.import_line(text, warn)
                except LineError as error:
                    result.errors.append((number, error.field, error.message))
                except Exception as error:  # a bug or the database: still one line's failure
                    logger.debug("import_articles: line %d failed", number, exc_info=True)
                    result.unexpected += 1
                    message = (
                        f"could not be imported: unexpected {type(error).__name__} "
                        "(logged by prism_news.importer at DEBUG level)"
                    )
                    result.errors.append((number, "(line)", message))
                else:
                    setattr(result, outcome, getattr(result, outcome) + 1)
            if progress:
                progress(done, len(lines), result)
        return result
