"""Every shape the API returns, built in one place.

The v2 fields, the v3 schema (through the same fields), related cards and
structured data all call these functions. They read what ``prefetch`` attached
to the objects and fall back to plain queries when called on their own.
"""

import datetime

from django.utils import timezone

from ..conf import get_settings
from ..languages import language_label
from ..reading_time import count_text, stream_texts
from . import types


def iso(value):
    """ISO 8601; date-times in the site's time zone, as Wagtail's own API fields do."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


def page_url(page):
    """The page's URL, relative when the site allows (one site, or the page's own)."""
    return page.get_url()


def renditions_of(image, specs):
    """``{spec: rendition}`` for ``image``, using prefetched renditions where present."""
    return image.get_renditions(*specs) if specs else {}


def image_data(image, *, alt, caption="", credit="", specs) -> types.Image | None:
    """An image with named renditions (``specs`` maps names to filter specs)."""
    if image is None:
        return None
    found = renditions_of(image, list(dict.fromkeys(specs.values())))
    renditions = {
        name: {
            "url": found[spec].full_url,
            "width": found[spec].width,
            "height": found[spec].height,
        }
        for name, spec in specs.items()
    }
    by_width = {}
    for rendition in renditions.values():
        by_width.setdefault(rendition["width"], rendition["url"])
    return {
        "id": image.pk,
        "alt": alt,
        "caption": caption or "",
        "credit": credit or "",
        "width": image.width,
        "height": image.height,
        "renditions": renditions,
        "srcset": ", ".join(f"{url} {width}w" for width, url in sorted(by_width.items())),
    }


def hero_image(article, specs) -> types.Image | None:
    return image_data(
        article.hero_image,
        alt=article.hero_image_alt,
        caption=article.hero_image_caption,
        credit=article.hero_image_credit,
        specs=specs,
    )


def reading_time(article) -> types.ReadingTime:
    return {"minutes": article.reading_time, "label": article.reading_time_label}


def category(page) -> types.Category | None:
    if page is None:
        return None
    return {"id": page.pk, "title": page.title, "slug": page.slug, "url": page_url(page)}


def ai(article) -> types.AI:
    return {
        "involvement": article.ai_involvement,
        "label": article.ai_badge,
        "digital_source_type": article.digital_source_type,
        "model": article.ai_model,
        # Only a review of the content being served counts (prism_news.review).
        "reviewed": article.ai_review_current,
        "reviewed_by": article.reviewer_name,
        "reviewed_at": iso(article.ai_reviewed_at) if article.ai_review_current else None,
    }


def sources(article) -> list[types.Source]:
    return [
        {
            "title": source.title,
            "publisher": source.publisher,
            "url": source.url,
            "language": source.language,
            "published_at": iso(source.published_at),
        }
        for source in article.sources.all()
    ]


def tags(article) -> list[str]:
    # In the order the editor added them (databases differ on unordered rows).
    items = sorted(article.tagged_items.all(), key=lambda item: item.pk or 0)
    return [item.tag.name for item in items]


def authors(article) -> list[types.Author]:
    return [
        {"id": author.pk, "name": author.name, "role": author.role}
        for author in article.localized_authors()
    ]


def disclaimer(article) -> types.Disclaimer | None:
    page = article.resolved_disclaimer
    if page is None:
        return None
    return {
        "id": page.pk,
        "kind": page.kind,
        "title": page.title,
        "short_text": page.short_text,
        "url": page_url(page),
    }


def translations(page) -> list[types.Translation]:
    from ..translation import live_translations

    return [
        {
            "id": other.pk,
            "locale": other.locale.language_code,
            "language_label": language_label(other.locale.language_code),
            "title": other.title,
            "url": page_url(other),
        }
        for other in live_translations(page)
    ]


def card(article) -> types.Card:
    """The one card shape: listings, related articles and feeds all use it."""
    return {
        "id": article.pk,
        "title": article.title,
        "summary": article.summary,
        "url": page_url(article),
        "category": category(article.category),
        "locale": article.language_code,
        "language_label": article.language_label,
        "published_at": iso(article.published_at),
        "reading_time": reading_time(article),
        "ai": ai(article),
        "hero_image": hero_image(article, get_settings()["API_CARD_RENDITIONS"]),
    }


def related(article) -> list[types.Card]:
    return [card(other) for other in article.related_articles()]


def body(article, context=None) -> list[types.BodyBlock]:
    from .prefetch import body_context

    return article.body.stream_block.get_api_representation(
        article.body, context={**(context or {}), **body_context(article)}
    )


def word_count(article):
    characters = words = 0
    for text in [article.summary, *stream_texts(article.body)]:
        c, w = count_text(text)
        characters += c
        words += w
    # Japanese and Chinese count characters as words, the usual convention.
    return characters + words


def json_ld(article) -> types.NewsArticleJsonLd:
    """schema.org NewsArticle for the article, with its AI provenance in IPTC terms."""
    url = article.full_url
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "description": article.summary,
        "inLanguage": article.language_code,
        "timeRequired": f"PT{article.reading_time}M",
        "wordCount": word_count(article),
        "digitalSourceType": article.digital_source_type,
        "keywords": tags(article),
        "author": [
            {"@type": "Person", "name": a.name, **({"jobTitle": a.role} if a.role else {})}
            for a in article.localized_authors()
        ],
        "isBasedOn": [
            {
                "@type": "NewsArticle",
                "name": s.title,
                "url": s.url,
                "publisher": {"@type": "Organization", "name": s.publisher},
                **({"inLanguage": s.language} if s.language else {}),
                **({"datePublished": s.published_at.isoformat()} if s.published_at else {}),
            }
            for s in article.sources.all()
        ],
    }
    if article.published_at:
        data["datePublished"] = iso(article.published_at)
    modified = article.updated_at or article.last_published_at or article.published_at
    if modified:
        data["dateModified"] = iso(modified)
    if article.category is not None:
        data["articleSection"] = article.category.title
    if article.hero_image is not None:
        specs = get_settings()["JSON_LD_IMAGE_RENDITIONS"]
        found = renditions_of(article.hero_image, specs)
        data["image"] = [found[spec].full_url for spec in specs]
        if article.hero_image_credit:
            data["creditText"] = article.hero_image_credit
    newsroom = article.newsroom_settings
    if newsroom and newsroom.publisher_name:
        publisher = {"@type": "Organization", "name": newsroom.publisher_name}
        if newsroom.publisher_logo:
            logo = newsroom.publisher_logo.get_rendition("max-600x60")
            publisher["logo"] = {
                "@type": "ImageObject",
                "url": logo.full_url,
                "width": logo.width,
                "height": logo.height,
            }
        data["publisher"] = publisher
    return data
