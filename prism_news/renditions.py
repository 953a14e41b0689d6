"""Renditions made before readers ask for them.

The first request for an image would otherwise generate its renditions (image
processing and an insert each): a few hundred milliseconds on an article's first
reader. When an article is published, and when an image is uploaded, a task makes
every rendition the API and the templates will ask for. Tasks run through
django-tasks (Wagtail 8's task framework): at once with its default immediate
backend, in a worker with the database backend (``manage.py db_worker``, see
docs/caching.md).
"""

from django.db import transaction
from django_tasks import task
from wagtail.images import get_image_model

from .conf import get_settings
from .representations.card import CARD

#: What the templates ask for besides the API's own renditions (keep in step with
#: templates/prism_news/article_page.html and blocks/image.html; a test checks it).
HERO_SRCSET = ("width-640", "width-960", "width-1600")
BODY_IMAGE = ("width-1200",)


def hero_specs():
    conf = get_settings()
    return sorted(
        {
            *conf["API_RENDITIONS"].values(),
            *CARD.rendition_specs(),
            *conf["JSON_LD_IMAGE_RENDITIONS"],
            *HERO_SRCSET,
        }
    )


def body_specs():
    return sorted({*get_settings()["API_RENDITIONS"].values(), *BODY_IMAGE})


def article_plan(article):
    """``{image id: [filter specs]}``: every rendition readers of ``article`` will get."""
    plan = {}
    if article.hero_image_id:
        plan[article.hero_image_id] = set(hero_specs())
    for child in article.body:
        if child.block_type == "image" and child.value["image"] is not None:
            plan.setdefault(child.value["image"].pk, set()).update(body_specs())
    return {pk: sorted(specs) for pk, specs in plan.items()}


@task()
def make_renditions(plan):
    """Generate the renditions in ``plan`` (``{image id: [specs]}``, JSON keys as text)."""
    images = get_image_model().objects.in_bulk([int(pk) for pk in plan])
    made = 0
    for pk, specs in plan.items():
        image = images.get(int(pk))
        if image is not None:
            made += len(image.get_renditions(*specs))
    return made


def enqueue(plan):
    if plan:
        transaction.on_commit(
            lambda: make_renditions.enqueue({str(k): v for k, v in plan.items()}), robust=True
        )


# --- Signal handlers (connected in prism_news.signal_handlers)


def on_publish(sender, instance, **kwargs):
    """An article published: every image it shows."""
    enqueue(article_plan(instance))


def on_image_saved(sender, instance, created=False, **kwargs):
    if created and get_settings()["RENDITIONS_ON_UPLOAD"]:
        # Where it will be used is not known yet: what a hero needs covers cards too.
        enqueue({instance.pk: hero_specs()})
