"""A realistic newsroom archive of any size, inserted in bulk (for benchmarks).

``build_archive(10_000)`` makes what the benchmark measures: categories in ja and en,
authors, a pool of images with the renditions readers get, and ``size`` live Japanese
articles, each with a hero image, a body with headings, paragraphs, a list and a body
image, two sources, three tags and a byline; a share of them (``translated``) also in
English under the English categories. Rows go in with ``bulk_create`` (pages, tags,
sources, bylines) and one multi-row insert per batch for the article table, so 100k
articles take minutes, not hours; the result is ordinary Wagtail content that routes,
serves and passes the checks ``tests/test_benchmark_archive.py`` makes of it.
"""

import datetime
import io
import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

BATCH = 2_000
TAGS = [f"topic-{i}" for i in range(200)]
PARAGRAPH = (
    "<p>The alliance aims to build supply chains that do not depend on a single country, "
    "from rare earths to data centres, and its members are weighing what that will cost.</p>"
)
JA_PARAGRAPH = (
    "<p>同盟は、レアアースからデータセンターまで、"
    "特定の国に依存しない供給網の構築を目指している。</p>"
)


def _image_pool(count):
    from PIL import Image as PILImage

    Image = get_image_model()
    images = list(Image.objects.filter(title__startswith="Archive image ")[:count])
    for i in range(len(images), count):
        buffer = io.BytesIO()
        colour = ((i * 53) % 255, (i * 97) % 255, (i * 31) % 255)
        PILImage.new("RGB", (1600, 900), colour).save(buffer, "JPEG", quality=70)
        image = Image(title=f"Archive image {i}", file=ImageFile(buffer, name=f"archive-{i}.jpg"))
        image.save()
        images.append(image)
    return images


def _categories(home, locale, count, source_categories=None):
    from prism_news.models import CategoryIndexPage

    categories = []
    for i in range(count):
        slug = f"section-{i}"
        existing = CategoryIndexPage.objects.filter(slug=slug, locale=locale).first()
        if existing is None:
            if source_categories:
                existing = source_categories[i].copy_for_translation(locale, copy_parents=True)
                existing.save_revision().publish()
            else:
                existing = CategoryIndexPage(title=f"Section {i}", slug=slug, page_size=12)
                home.add_child(instance=existing)
                existing.save_revision().publish()
        categories.append(CategoryIndexPage.objects.get(pk=existing.pk))
    return categories


def _body(language, images, rng):
    paragraph = JA_PARAGRAPH if language == "ja" else PARAGRAPH
    blocks = [
        {"type": "heading", "value": {"text": "Background", "level": "2"}},
        {"type": "paragraph", "value": paragraph * 3},
        {"type": "list", "value": {"style": "bulleted", "items": [
            {"type": "item", "value": v, "id": str(uuid.uuid4())} for v in ("Japan", "Korea")
        ]}},
        {"type": "image", "value": {"image": rng.choice(images).pk, "alt": "A chart",
                                    "caption": "", "credit": ""}},
        {"type": "paragraph", "value": paragraph * 2},
    ]  # fmt: skip
    for block in blocks:
        block["id"] = str(uuid.uuid4())
    return blocks


def _insert_articles(rows):
    """One multi-row INSERT per batch into the article table (MTI: the Page rows exist)."""
    from prism_news.models import ArticlePage

    fields = list(ArticlePage._meta.local_concrete_fields)
    table = ArticlePage._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    values = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _article_rows(category, locale, count, start, images, rng, now, keys=None):
    """Page and article objects for ``count`` live articles under ``category``."""
    from prism_news.models import ArticlePage

    content_type = ContentType.objects.get_for_model(ArticlePage)
    language = locale.language_code
    pages, articles = [], []
    for n in range(count):
        index = start + n
        slug = f"story-{index}"
        published = now - datetime.timedelta(minutes=17 * index + rng.randint(0, 16))
        title = (
            f"記事 {index}：供給網の再編" if language == "ja" else f"Story {index}: supply chains"
        )
        page = Page(
            path=ArticlePage._get_path(
                category.path, category.depth + 1, category.numchild + n + 1
            ),
            depth=category.depth + 1, numchild=0, title=title, draft_title=title, slug=slug,
            content_type=content_type, live=True, has_unpublished_changes=False,
            url_path=f"{category.url_path}{slug}/", locale=locale,
            translation_key=keys[n] if keys else uuid.uuid4(),
            first_published_at=published, last_published_at=published,
            latest_revision_created_at=published,
        )  # fmt: skip
        pages.append(page)
        articles.append(
            ArticlePage(
                title=title, summary="A short summary of the analysis." if language != "ja"
                else "分析の短い要約。", hero_image=rng.choice(images), hero_image_alt="A chart",
                body=_body(language, images, rng), published_at=published,
                ai_involvement="analysis", ai_model="model-x", reading_time=3,
            )
        )  # fmt: skip
    return pages, articles


def _add(parent, locale, count, first, keys, images, author, tags, rng, now):
    """Insert ``count`` articles under ``parent`` in batches; return their ids in order."""
    from prism_news.models import ArticlePageAuthor, ArticlePageTag, ArticleSource
    from prism_news.related import sync_tagged_items

    ids = []
    for start in range(0, count, BATCH):
        batch = min(BATCH, count - start)
        batch_keys = keys[start : start + batch] if keys else None
        pages, articles = _article_rows(
            parent, locale, batch, first + start, images, rng, now, batch_keys
        )
        pages = Page.objects.bulk_create(pages)
        for page, article in zip(pages, articles, strict=True):
            article.page_ptr_id = article.pk = page.pk
        _insert_articles(articles)
        new = [p.pk for p in pages]
        ArticleSource.objects.bulk_create(
            ArticleSource(page_id=i, sort_order=s, title="Report", publisher=publisher,
                          url=f"https://news.example.com/{i}/{s}", language="en")
            for i in new for s, publisher in enumerate(("Reuters", "The Diplomat"))
        )  # fmt: skip
        ArticlePageTag.objects.bulk_create(
            ArticlePageTag(content_object_id=i, tag=t) for i in new for t in rng.sample(tags, 3)
        )
        sync_tagged_items(new)  # bulk_create skips the rows' save()
        ArticlePageAuthor.objects.bulk_create(
            ArticlePageAuthor(page_id=i, author=author, sort_order=0) for i in new
        )
        parent.numchild += batch
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild)
        ids += new
    return ids


@transaction.atomic
def build_archive(size, *, categories=5, translated=0.5, image_pool=12, seed=0):
    """Add ``size`` Japanese articles (and ``translated`` of them in English); return
    ``{"ja": [ids...], "en": [ids...], "categories": {...}}`` for the benchmark to use."""
    from taggit.models import Tag

    from prism_news.models import Author

    rng = random.Random(seed)
    now = timezone.now()
    ja = Locale.objects.get(language_code="ja")
    en = Locale.objects.get_or_create(language_code="en")[0]
    home = Page.objects.get(depth=2, locale=ja)
    images = _image_pool(image_pool)
    ja_categories = _categories(home, ja, categories)
    en_categories = _categories(home, en, categories, source_categories=ja_categories)
    author = Author.objects.get_or_create(name="Chief Editor", locale=ja, role="Chief Editor")[0]
    tags = list(Tag.objects.filter(name__in=TAGS))
    if len(tags) < len(TAGS):
        Tag.objects.bulk_create([Tag(name=t, slug=t) for t in TAGS], ignore_conflicts=True)
        tags = list(Tag.objects.filter(name__in=TAGS))
    created = {"ja": [], "en": []}
    offset = Page.objects.filter(content_type__model="articlepage").count()
    per_category = -(-size // categories)
    for c, category in enumerate(ja_categories):
        count = min(per_category, size - c * per_category)
        if count <= 0:
            break
        first = offset + c * per_category
        ja_ids = _add(category, ja, count, first, None, images, author, tags, rng, now)
        # The English versions of the first stories: same translation keys.
        english = ja_ids[: int(count * translated)]
        key_of = dict(Page.objects.filter(pk__in=english).values_list("pk", "translation_key"))
        en_ids = []
        for start in range(0, len(english), BATCH):
            keys = [key_of[pk] for pk in english[start : start + BATCH]]
            en_ids += _add(
                en_categories[c], en, len(keys), first + start, keys, images, author, tags, rng, now
            )
        created["ja"] += ja_ids
        created["en"] += en_ids
    return {
        **created,
        "categories": {"ja": [c.pk for c in ja_categories], "en": [c.pk for c in en_categories]},
    }
