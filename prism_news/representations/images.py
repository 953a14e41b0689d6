"""An image with named renditions: article heroes, cards and body images."""

from . import types


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
