"""Nothing hidden leaks through any door, whoever asks.

Every hidden case carries a marker word (in its title, summary and slug, or only
in its unpublished content); every door is asked by every identity, and no
marker may appear, except where an HTML reader legitimately passes a page's view
restriction. The public API must also answer every identity alike: the same
bytes with or without cookies, and no ``Vary: Cookie``.

With ``PRISM_FULL_MATRIX=1`` every API door is asked by every identity; without it, by
the anonymous reader and one other identity in turn (tests/sampling.py). HTML doors are
always asked by everyone.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from prism_news.models import RelatedArticlePin

from .api_fixtures import translate
from .factories import ArticlePageFactory, CategoryIndexPageFactory, source
from .sampling import FULL

PASSWORD = "open-sesame"
V2 = "/api/v2/pages/"
V3 = "/api/v3/pages/"

#: Hidden case -> its marker. "secret" is a live article whose unpublished draft
#: carries the marker; "translation" a live article's draft translation; "parent"
#: a live article in an unpublished section, whose title carries the marker.
CASES = {
    "draft": "zqdraft",
    "unpublished": "zqunpublished",
    "secret": "zqsecret",
    "scheduled": "zqscheduled",
    "expired": "zqexpired",
    "login": "zqlogin",
    "password": "zqpassword",
    "group": "zqgroup",
    "ancestor": "zqancestor",
    "translation": "zqtranslation",
    "alias": "zqalias",
    "parent": "zqparent",
}
#: Cases whose page itself is visible: only something about it is hidden.
VISIBLE_CASES = {"secret", "parent"}
IDENTITIES = ["anonymous", "reader", "password", "superuser"]

#: HTML doors where an identity legitimately passes the case's view restriction:
#: (case, identity). The alias of a restricted page is never served.
HTML_ALLOWED = {
    ("login", "reader"),
    ("login", "superuser"),
    ("password", "password"),
    ("group", "superuser"),
    ("ancestor", "reader"),
    ("ancestor", "superuser"),
}


def article(parent, case, **extra):
    marker = CASES[case]
    values = {
        "title": f"{marker} story",
        "slug": f"{marker}-slug",
        "summary": f"The {marker} summary.",
        "tags": ["leak"],
        "sources": [source(publisher="Leak Times")],
    }
    values.update(extra)
    return ArticlePageFactory(parent=parent, **values)


def restrict(page, kind, **extra):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, **extra)
    return restriction


@pytest.fixture
def world(home, category, en, django_user_model):
    """A visible host article linking to, pinning and listed beside every hidden case."""
    subscribers = Group.objects.create(name="Subscribers")
    pages = {}
    pages["draft"] = article(category, "draft", live=False)
    pages["unpublished"] = article(category, "unpublished")
    pages["unpublished"].unpublish()
    secret = ArticlePageFactory(parent=category, title="Plain story", slug="plain", tags=["leak"])
    secret.title = f"{CASES['secret']} story"
    secret.summary = f"The {CASES['secret']} summary."
    secret.save_revision()  # a draft nobody published
    pages["secret"] = secret
    scheduled = article(category, "scheduled", live=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()  # with go_live_at ahead, this schedules it
    pages["scheduled"] = scheduled
    pages["expired"] = article(
        category, "expired", expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    pages["login"] = article(category, "login")
    restrict(pages["login"], "login")
    pages["password"] = article(category, "password")
    password_restriction = restrict(pages["password"], "password", password=PASSWORD)
    pages["group"] = article(category, "group")
    restrict(pages["group"], "groups").groups.add(subscribers)
    members = CategoryIndexPageFactory(parent=home, title="zqancestor members", slug="members")
    restrict(members, "login")
    pages["ancestor"] = article(members, "ancestor")
    translated = ArticlePageFactory(parent=category, title="Bilingual story", slug="bilingual")
    draft_translation = translated.copy_for_translation(en, copy_parents=True)
    draft_translation.title = f"{CASES['translation']} story"
    draft_translation.save_revision()
    pages["translation"] = Page.objects.get(pk=draft_translation.pk).specific
    economy = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    original = article(category, "alias")
    restrict(original, "login")
    pages["alias"] = original.create_alias(parent=economy)
    drafts = CategoryIndexPageFactory(
        parent=home, title=f"{CASES['parent']} section", slug="drafts"
    )
    pages["parent"] = ArticlePageFactory(parent=drafts, title="Orphan story", slug="orphan")
    drafts.unpublish()

    host = ArticlePageFactory(
        parent=category,
        title="zqhost story",
        slug="zqhost",
        tags=["leak"],
        sources=[source(publisher="Leak Times")],
        body=[
            (
                "paragraph",
                "<p>"
                + " ".join(
                    f'<a linktype="page" id="{page.pk}">link {name}</a>'
                    for name, page in pages.items()
                )
                + "</p>",
            )
        ],
    )
    for page in pages.values():
        if isinstance(page.specific, type(host)) and page.locale_id == host.locale_id:
            RelatedArticlePin.objects.create(page=host, article=page)
    host_en = translate(host, en, title="zqhost story (en)")

    users = {
        "reader": django_user_model.objects.create_user("reader", "r@x.test", "pw"),
        "superuser": django_user_model.objects.create_superuser("admin", "a@x.test", "pw"),
    }
    return {
        "pages": pages,
        "host": host,
        "host_en": host_en,
        "category": category,
        "members": members,
        "translated": translated,
        "password_restriction": password_restriction,
        "users": users,
    }


def log_in(client, world, identity):
    client.logout()
    if identity in world["users"]:
        client.force_login(world["users"][identity])
    elif identity == "password":
        restriction = world["password_restriction"]
        page = world["pages"]["password"]
        url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
        response = client.post(url, {"password": PASSWORD, "return_url": page.url})
        assert response.status_code == 302, response.content
        # The browser now sees the page: the password was taken.
        assert CASES["password"] in client.get(page.url).content.decode()


def api_doors(world):
    """Every public API request that could show a hidden page: name -> (url, open).

    An open door must answer 2xx or 3xx (a listing, a visible page), a closed one 4xx.
    """
    pages, host = world["pages"], world["host"]
    category, members = world["category"], world["members"]
    articles = f"{V2}?type=prism_news.ArticlePage&limit=50"
    listings = {
        "v2 listing": f"{V2}?limit=50",
        "v2 articles": articles,
        "v2 all fields": f"{articles}&fields=*",
        "v2 child_of": f"{V2}?child_of={category.pk}&limit=50",
        "v2 descendant_of": f"{V2}?descendant_of={category.get_parent().pk}&limit=50",
        "v2 ancestor_of": f"{V2}?ancestor_of={host.pk}",
        "v2 translation_of": f"{V2}?translation_of={world['translated'].pk}",
        "v2 locale": f"{V2}?locale=en&limit=50",
        "v2 tag": f"{articles}&tag=leak",
        "v2 category": f"{articles}&category=politics",
        "v2 ai_involvement": f"{articles}&ai_involvement=none",
        "v2 publisher": f"{articles}&publisher=Leak%20Times",
        "v2 dates": f"{articles}&published_after=2000-01-01&published_before=9999-12-31",
        "v2 order": f"{articles}&order=-title",
        "v2 host detail": f"{V2}{host.pk}/",
        "v2 host en detail": f"{V2}{world['host_en'].pk}/",
        "v2 category detail": f"{V2}{category.pk}/",
        "v3 listing": f"{V3}?limit=50",
        "v3 articles": f"{V3}?type=prism_news.ArticlePage&limit=50",
        "v3 child_of": f"{V3}?child_of={category.pk}&limit=50",
        "v3 translation_of": f"{V3}?translation_of={world['translated'].pk}",
        "v3 locale": f"{V3}?locale=en&limit=50",
        "v3 host detail": f"{V3}{host.pk}/",
        "v3 host draft": f"{V3}{host.pk}/?version=draft",
    }
    for marker in [*CASES.values(), "story"]:
        listings[f"v2 search {marker}"] = f"{V2}?search={marker}&limit=50"
        listings[f"v3 search {marker}"] = f"{V3}?search={marker}&limit=50"
    doors = {name: (url, True) for name, url in listings.items()}
    doors["v2 child_of hidden"] = (f"{V2}?child_of={members.pk}", False)
    doors["v3 child_of hidden"] = (f"{V3}?child_of={members.pk}", False)
    for case, page in pages.items():
        visible = case in VISIBLE_CASES
        doors[f"v2 detail {case}"] = (f"{V2}{page.pk}/", visible)
        doors[f"v2 find id {case}"] = (f"{V2}find/?id={page.pk}", visible)
        doors[f"v3 detail {case}"] = (f"{V3}{page.pk}/", visible)
        doors[f"v3 draft {case}"] = (f"{V3}{page.pk}/?version=draft", visible)
        doors[f"v3 find id {case}"] = (f"{V3}find/?id={page.pk}", visible)
        doors[f"v3 translation_of {case}"] = (f"{V3}?translation_of={page.pk}", visible)
        doors[f"v2 id filter {case}"] = (f"{V2}?id={page.pk}", True)  # an empty listing
        doors[f"v3 id filter {case}"] = (f"{V3}?id={page.pk}", True)
        if case != "translation":  # its path is its live source's
            path = page.url_path.split("/", 2)[2]
            doors[f"v2 find path {case}"] = (f"{V2}find/?html_path=/{path}", visible)
            doors[f"v3 find path {case}"] = (f"{V3}find/?html_path=/{path}", visible)
    return doors


def html_doors(world):
    """HTML pages: listings and the host (with cards, links, alternates); each hidden page."""
    doors = {
        "html category": world["category"].url,
        "html economy": "/economy/",
        "html host": world["host"].url,
        "html host en": world["host_en"].url,
    }
    # The search page echoes its query: it searches for words every hidden case has
    # ("story" in each title, "summary", the "leak" tag), and for each marker in capitals
    # (the search ignores case; the page echoes what was typed, so a marker in lower case
    # on the page is a leak).
    for prefix in ("", "/en"):
        for word in ["story", "summary", "leak", "slug", *(m.upper() for m in CASES.values())]:
            doors[f"html search{prefix} {word}"] = f"{prefix}/search/?q={word}"
    # Lists of URLs and articles for machines: each lists the host article (below).
    doors |= {
        "sitemap index": "/sitemap.xml",
        "sitemap ja": "/sitemap-ja.xml",
        "sitemap en": "/sitemap-en.xml",
        "news sitemap": "/news-sitemap.xml",
        "feed": "/feeds/rss/",
        "feed en": "/en/feeds/atom/",
        "feed section": f"{world['category'].url}feeds/atom/",
    }
    for case, page in world["pages"].items():
        if case == "secret":
            doors[f"html {case}"] = (page.url, case)
        else:
            doors[f"html {case}"] = (page.get_url(), case)
    return doors


def shown(response):
    return response.content.decode(errors="replace")


def askers(api):
    """API door -> the identities that ask it: all of them with the full matrix, else
    the anonymous reader and the others in turn."""
    others = IDENTITIES[1:]
    return {
        door: set(IDENTITIES) if FULL else {IDENTITIES[0], others[i % len(others)]}
        for i, door in enumerate(api)
    }


def test_no_hidden_page_leaks_through_any_door(client, world, capsys):
    api = api_doors(world)
    html = html_doors(world)
    asked_by = askers(api)
    leaks, errors, differences, checks = [], [], [], 0
    answers = {}
    client.raise_request_exception = False  # a 500 is a finding like any other
    for identity in IDENTITIES:
        log_in(client, world, identity)
        for door, (url, open_) in api.items():
            if identity not in asked_by[door]:
                continue
            response = client.get(url)
            if response.status_code >= 500 or (response.status_code < 400) != open_:
                errors.append((identity, door, response.status_code))
            text = shown(response)
            for case, marker in CASES.items():
                checks += 1
                if marker in text:
                    leaks.append((identity, door, case))
            # Whoever asks, the public API gives the same answer and does not vary by cookie.
            if "cookie" in response.get("Vary", "").lower():
                differences.append((identity, door, "Vary: Cookie"))
            first = answers.setdefault(door, (response.status_code, text))
            if (response.status_code, text) != first:
                differences.append((identity, door, "not the anonymous answer"))
        for door, target in html.items():
            url, own_case = target if isinstance(target, tuple) else (target, None)
            response = client.get(url)
            if response.status_code >= 500:
                errors.append((identity, door, response.status_code))
            # A password form echoes the address the reader asked for: not a leak.
            text = shown(response).replace(url, "")
            for case, marker in CASES.items():
                checks += 1
                allowed = case == own_case and (case, identity) in HTML_ALLOWED
                if marker in text and not allowed:
                    leaks.append((identity, door, case))
                if allowed and marker not in text:  # the door works for who may see it
                    errors.append((identity, door, "not shown to who may see it"))
    doors = len(api) + len(html)
    with capsys.disabled():
        print(
            f"\nleak matrix: {len(CASES)} hidden cases x {doors} doors x "
            f"{len(IDENTITIES)} identities: {checks} checks"
            + ("" if FULL else " (a sample; PRISM_FULL_MATRIX=1 for all)")
        )
    assert leaks == []
    assert errors == []
    assert differences == []


def test_doors_do_show_visible_pages(client, world):
    """The doors above are open: the host article comes through each kind."""
    host = world["host"]
    for url in [
        f"{V2}?type=prism_news.ArticlePage&tag=leak",
        f"{V2}?search=zqhost",
        f"{V2}{host.pk}/",
        f"{V3}?type=prism_news.ArticlePage",
        f"{V3}?search=zqhost",
        f"{V3}{host.pk}/",
        world["category"].url,
        "/search/?q=ZQHOST",  # the search echoes its query: in capitals, not a find
        "/en/search/?q=ZQHOST",
        "/sitemap-ja.xml",
        "/news-sitemap.xml",
        "/feeds/rss/",
        f"{world['category'].url}feeds/atom/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "zqhost" in shown(response), url
    assert client.get(f"{V2}find/?html_path={host.url}").status_code == 302
    assert client.get(f"{V3}find/?html_path={host.url}").status_code == 302


def test_links_to_hidden_pages_keep_their_text_and_lose_their_href(client, world):
    html = shown(client.get(world["host"].url))
    body = client.get(f"{V2}{world['host'].pk}/").json()["body"]
    paragraph = next(block["value"] for block in body if block["type"] == "paragraph")
    for case in CASES.keys() - VISIBLE_CASES - {"translation"}:
        assert f"<a>link {case}</a>" in html, case
        assert f"<a>link {case}</a>" in paragraph, case
    # Visible pages keep working links, to their live URLs. A link to the draft
    # translation points at the version readers may see, in their language.
    pages = world["pages"]
    targets = {"translation": world["translated"], **{c: pages[c] for c in VISIBLE_CASES}}
    for case, page in targets.items():
        assert f'<a href="{page.url}">link {case}</a>' in html, case
        assert f'<a href="{page.url}">link {case}</a>' in paragraph, case


def test_related_and_translations_are_visible_pages_only(client, world):
    pages = world["pages"]
    hidden = {page.pk for case, page in pages.items() if case not in VISIBLE_CASES}
    for api in (V2, V3):
        data = client.get(f"{api}{world['host'].pk}/").json()
        related = [card["id"] for card in data["related"]]
        assert related[0] == pages["secret"].pk  # the one visible pin comes first
        assert not hidden & set(related)
        assert [t["id"] for t in data["translations"]] == [world["host_en"].pk]


def test_a_collection_password_does_not_widen_images(client, category):
    """The session is hidden from Wagtail's own endpoints too (images, v2 and v3)."""
    from wagtail.models import Collection, CollectionViewRestriction

    from .factories import ImageFactory

    private = Collection.get_first_root_node().add_child(name="Private")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type="password", password=PASSWORD
    )
    # Both on a published story, so that only the collection tells them apart.
    for image in [
        ImageFactory(title="zqprivateimage", collection=private),
        ImageFactory(title="zqpublicimage"),
    ]:
        ArticlePageFactory(parent=category, hero_image=image, hero_image_alt="x")
    session = client.session
    session[restriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    for url in ["/api/v2/images/", "/api/v3/images/"]:
        text = shown(client.get(url))
        assert "zqpublicimage" in text
        assert "zqprivateimage" not in text
