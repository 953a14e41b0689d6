"""A realistic newsroom archive of any size, inserted in bulk (for benchmarks).

``build_archive(10_000)`` makes what the benchmark measures: categories in ja and en,
authors, a pool of images with the renditions readers get, and ``size`` live Japanese
articles, each with a hero image, a body with headings, paragraphs, a list and a body
image, two sources, three tags and a byline; a share of them (``translated``) also in
English under the English categories. Titles and paragraphs are drawn from a small pool
of filler (``FILLER``), so articles differ as real ones do and a word matches a share of
the archive, not all of it. Rows go in with ``bulk_create`` (pages, tags,
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

from prism_news.listing_counts import recount_all

BATCH = 2_000
TAGS = [f"topic-{i}" for i in range(200)]
# Filler: each article's title and paragraphs are drawn from these, so that its text
# differs from its neighbours' (a search for any one word matches a share of the archive,
# not all of it) at the cost of a few string joins. They name no word of the search
# relevance set (benchmarks/search_relevance.json); tests/test_search_relevance.py checks.
FILLER = {
    "ja": {
        "titles": [
            "地方空港の国際線が再開",
            "港湾物流の人手不足が深刻に",
            "観光客数が前年を上回る",
            "地域鉄道の運賃改定を申請",
            "中小企業の賃上げ率が上昇",
            "漁獲量の減少が続く",
            "再生可能エネルギーの導入が加速",
            "新築住宅の着工件数が減少",
            "大学入試の志願者が増加",
            "医療人材の確保が課題に",
            "公共交通の利用者が回復",
            "農産物の輸出額が伸びる",
        ],
        "sentences": [
            "関係者によると、計画は来年度から段階的に実施される見通しだ。",
            "専門家は、長期的な影響を慎重に見極める必要があると指摘している。",
            "地元の自治体は、住民向けの説明会を複数回開く予定だという。",
            "業界団体は、制度の見直しを求める要望書を提出した。",
            "統計によれば、この傾向は過去五年にわたって続いている。",
            "一方で、費用負担のあり方をめぐっては意見が分かれている。",
            "担当者は、利用者の声を反映した改善策を検討すると述べた。",
            "周辺地域でも同様の取り組みが広がりつつある。",
            "今後の焦点は、人材の確保と設備の更新になりそうだ。",
            "調査では、回答者の半数以上が現状に不満を示した。",
            "こうした動きは、地域経済の活性化につながると期待されている。",
            "ただし、実現までには数年かかるとの見方が多い。",
        ],
        "summary": "地域の動きを伝える短い記事。",
    },
    "en": {
        "titles": [
            "regional airports restore international routes",
            "ports struggle to find workers",
            "visitor numbers top last year's",
            "local railways seek fare changes",
            "small firms raise wages faster",
            "fish catches keep falling",
            "renewable energy roll-out speeds up",
            "housing starts decline",
            "university applications rise",
            "hospitals struggle to hire staff",
            "public transport ridership recovers",
            "farm exports grow",
        ],
        "sentences": [
            "Officials said the plan would be phased in from next year.",
            "Experts say the long-term effects need careful study.",
            "The local council plans several meetings for residents.",
            "An industry group has submitted a request for the rules to be reviewed.",
            "Figures show the trend has continued for five years.",
            "Opinions remain divided over who should bear the costs.",
            "A spokesperson said improvements would reflect users' feedback.",
            "Similar efforts are spreading to neighbouring areas.",
            "Attention now turns to staffing and the renewal of equipment.",
            "In a survey, more than half of respondents were dissatisfied.",
            "Such moves are expected to help revive the local economy.",
            "Many believe it will take several years to complete.",
        ],
        "summary": "A short report on local developments.",
    },
}


def filler_text(language, index, rng):
    """Title, summary and five paragraphs of filler for the archive's article ``index``."""
    words = FILLER[language]
    topic = words["titles"][index % len(words["titles"])]
    title = f"記事 {index}：{topic}" if language == "ja" else f"Story {index}: {topic}"
    joiner = "" if language == "ja" else " "
    paragraphs = [joiner.join(rng.sample(words["sentences"], 3)) for _ in range(5)]
    return {"title": title, "summary": words["summary"], "paragraphs": paragraphs}


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


def _body(paragraphs, images, rng):
    """A heading, the paragraphs (with a list and an image after the first three)."""
    html = [f"<p>{text}</p>" for text in paragraphs]
    blocks = [
        {"type": "heading", "value": {"text": "Background", "level": "2"}},
        {"type": "paragraph", "value": "".join(html[:3])},
        {"type": "list", "value": {"style": "bulleted", "items": [
            {"type": "item", "value": v, "id": str(uuid.uuid4())} for v in ("Japan", "Korea")
        ]}},
        {"type": "image", "value": {"image": rng.choice(images).pk, "alt": "A chart",
                                    "caption": "", "credit": ""}},
    ]  # fmt: skip
    if html[3:]:
        blocks.append({"type": "paragraph", "value": "".join(html[3:])})
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


def _article_rows(category, locale, specs, images, rng, keys=None):
    """Page and article objects for the live articles ``specs`` describe under ``category``
    (each a dict: slug, title, summary, paragraphs, published)."""
    from prism_news.models import ArticlePage

    content_type = ContentType.objects.get_for_model(ArticlePage)
    pages, articles = [], []
    for n, spec in enumerate(specs):
        slug, title, published = spec["slug"], spec["title"], spec["published"]
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
                title=title, summary=spec["summary"], hero_image=rng.choice(images),
                hero_image_alt="A chart", body=_body(spec["paragraphs"], images, rng),
                published_at=published, ai_involvement="analysis", ai_model="model-x",
                reading_time=3,
            )
        )  # fmt: skip
    return pages, articles


def add_articles(parent, locale, specs, *, images, author, tags, rng, keys=None):
    """Insert the articles ``specs`` describe under ``parent`` in batches (each with a hero
    image, two sources, three of ``tags`` and ``author``'s byline); ``keys``, when given,
    are their translation keys. Return their ids in order."""
    from prism_news.models import ArticlePageAuthor, ArticlePageTag, ArticleSource
    from prism_news.related import sync_tagged_items

    ids = []
    for start in range(0, len(specs), BATCH):
        batch = specs[start : start + BATCH]
        batch_keys = keys[start : start + BATCH] if keys else None
        pages, articles = _article_rows(parent, locale, batch, images, rng, batch_keys)
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
        parent.numchild += len(batch)
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild)
        ids += new
    return ids


def _filler_specs(language, first, count, rng, now):
    specs = []
    for index in range(first, first + count):
        published = now - datetime.timedelta(minutes=17 * index + rng.randint(0, 16))
        specs.append(
            {"slug": f"story-{index}", "published": published,
             **filler_text(language, index, rng)}
        )  # fmt: skip
    return specs


def archive_parts(*, categories=5, image_pool=12):
    """What every archive article hangs on, made when missing: the ja and en categories,
    the image pool, the author and the tags."""
    from taggit.models import Tag

    from prism_news.models import Author

    ja = Locale.objects.get(language_code="ja")
    en = Locale.objects.get_or_create(language_code="en")[0]
    home = Page.objects.get(depth=2, locale=ja)
    ja_categories = _categories(home, ja, categories)
    tags = list(Tag.objects.filter(name__in=TAGS))
    if len(tags) < len(TAGS):
        Tag.objects.bulk_create([Tag(name=t, slug=t) for t in TAGS], ignore_conflicts=True)
        tags = list(Tag.objects.filter(name__in=TAGS))
    return {
        "locales": {"ja": ja, "en": en},
        "categories": {
            "ja": ja_categories,
            "en": _categories(home, en, categories, source_categories=ja_categories),
        },
        "images": _image_pool(image_pool),
        "author": Author.objects.get_or_create(name="Chief Editor", locale=ja, role="Chief Editor")[
            0
        ],  # fmt: skip
        "tags": tags,
    }


@transaction.atomic
def build_archive(size, *, categories=5, translated=0.5, image_pool=12, seed=0):
    """Add ``size`` Japanese articles (and ``translated`` of them in English); return
    ``{"ja": [ids...], "en": [ids...], "categories": {...}}`` for the benchmark to use."""
    rng = random.Random(seed)
    now = timezone.now()
    parts = archive_parts(categories=categories, image_pool=image_pool)
    ja, en = parts["locales"]["ja"], parts["locales"]["en"]
    ja_categories, en_categories = parts["categories"]["ja"], parts["categories"]["en"]
    common = {"images": parts["images"], "author": parts["author"], "tags": parts["tags"]}
    created = {"ja": [], "en": []}
    offset = Page.objects.filter(content_type__model="articlepage").count()
    per_category = -(-size // categories)
    for c, category in enumerate(ja_categories):
        count = min(per_category, size - c * per_category)
        if count <= 0:
            break
        first = offset + c * per_category
        specs = _filler_specs("ja", first, count, rng, now)
        ja_ids = add_articles(category, ja, specs, rng=rng, **common)
        # The English versions of the first stories: same translation keys.
        english = ja_ids[: int(count * translated)]
        key_of = dict(Page.objects.filter(pk__in=english).values_list("pk", "translation_key"))
        keys = [key_of[pk] for pk in english]
        specs = _filler_specs("en", first, len(english), rng, now)
        en_ids = add_articles(en_categories[c], en, specs, keys=keys, rng=rng, **common)
        created["ja"] += ja_ids
        created["en"] += en_ids
    # Bulk inserts save nothing through Django: the kept listing counts are made here.
    recount_all()
    return {
        **created,
        "categories": {"ja": [c.pk for c in ja_categories], "en": [c.pk for c in en_categories]},
    }
