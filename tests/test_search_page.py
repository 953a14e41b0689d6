"""The reader search page (``/search/``, ``/en/search/``): results as cards with a
highlighted snippet, pagination, the empty and no-results states, one language per page,
nothing a reader may not see, the query escaped wherever it is echoed, the response cache
(a hit, invalidated by a publish, no new keys for junk parameters) and no 5xx on any input.

Most of the content is English; one test searches a Japanese article in Japanese."""

import datetime
import os
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.urls import include, path
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wagtail import urls as wagtail_urls
from wagtail.models import Locale, Page, PageViewRestriction, Site

from prism_news.models import ArticlePage, CategoryIndexPage, NewsroomSettings
from prism_news.search_page import normalise_query

from .api_fixtures import translate
from .factories import ArticlePageFactory, CategoryIndexPageFactory, ImageFactory
from .sampling import fuzz_examples
from .test_frontend import Document

CACHE_ON = {"RESPONSE_CACHE": True, "CACHE_MAX_AGE": 30, "CACHE_S_MAXAGE": 600}

#: A host that includes prism_news's pages but not its search URL (see the last tests).
urlpatterns = [path("", include(wagtail_urls))]


def story(parent, title, body="", **extra):
    extra.setdefault("summary", "A short summary.")
    blocks = [("paragraph", f"<p>{body}</p>")] if body else []
    return ArticlePageFactory(parent=parent, title=title, body=blocks, **extra)


def build_module_data(request):
    """A newsroom in ja and en with English-worded stories: built once for the module
    (tests/shared_data.py); each test starts from it as it was built."""
    from home.models import HomePage

    # The example site's home page (it lists the latest articles with prism_news's cards).
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Prism News", slug="prism-home")
    )
    Site.objects.filter(is_default_site=True).update(root_page=home)
    en = Locale.objects.get_or_create(language_code="en")[0]
    settings = NewsroomSettings.for_site(home.get_site())
    settings.publisher_name = "Prism News"
    settings.save()
    en_home = translate(home, en, title="Home")
    politics = CategoryIndexPageFactory(parent=home, title="政治", slug="politics")
    economy = CategoryIndexPageFactory(parent=home, title="経済", slug="economy")
    walrus = story(
        politics,
        "Walrus treaty signed",
        "Delegates met at dawn. The walrus treaty protects the northern coast & more.",
    )
    en_politics = translate(politics, en, title="Politics")
    return {
        "home": home,
        "en_home": en_home,
        "politics": politics,
        "economy": economy,
        "en_politics": CategoryIndexPage.objects.get(pk=en_politics.pk),
        "walrus": walrus,
        "en_walrus": translate(walrus, en, title="The walrus treaty"),
        "economy_walrus": story(economy, "Walrus fisheries", "Quotas for walrus grounds."),
        "otter": story(politics, "Otter census", "Counting otters is hard work."),
        "zebra_en": story(en_politics, "Zebra crossing", "A zebra crossing in the city."),
    }


@pytest.fixture
def library(module_data):
    return module_data


def main_part(response):
    """The page's ``<main>`` (the masthead and footer aside)."""
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def titles(response):
    return re.findall(r'class="prism-card__title"><a href="[^"]*">([^<]*)</a>', main_part(response))


# --- Results


def test_results_are_cards_with_a_highlighted_snippet(client, library):
    response = client.get("/search/?q=walrus")
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Walrus fisheries", "Walrus treaty signed"]
    main = main_part(response)
    assert main.count('class="prism-card"') == 2
    # The snippet is the body around the match, escaped, the match marked.
    assert "The <mark>walrus</mark> treaty protects the northern coast &amp; more." in main
    assert "Quotas for <mark>walrus</mark> grounds." in main
    assert f'href="{library["walrus"].url}"' in main
    document = Document(response.content.decode())
    assert document.one("robots") == "noindex"
    assert document.link("canonical") == ["http://testserver/search/?q=walrus"]
    assert "<title>「walrus」の検索結果 | Prism News</title>" in response.content.decode()
    assert "2件の記事" in main  # the count, in the page's language


def test_a_section_filter(client, library):
    response = client.get("/search/?q=walrus&category=economy")
    assert titles(response) == ["Walrus fisheries"]
    assert '<option value="economy" selected>' in main_part(response)
    assert client.get("/search/?q=walrus&category=nope").status_code == 404
    # A section of another language is not one of this page's.
    assert client.get("/en/search/?q=zebra&category=economy").status_code == 404


def test_pagination(client, library, prism_settings):
    prism_settings(SEARCH_PAGE_SIZE=2)
    for number in range(3):
        story(library["politics"], f"Heron report {number}", "Herons nest here.")
    first = client.get("/search/?q=heron")
    second = client.get("/search/?q=heron&page=2")
    assert len(titles(first)) == 2 and len(titles(second)) == 1
    assert set(titles(first)) | set(titles(second)) == {f"Heron report {n}" for n in range(3)}
    assert 'rel="next" href="/search/?q=heron&amp;page=2"' in main_part(first)
    assert 'rel="prev" href="/search/?q=heron"' in main_part(second)
    assert "2ページ中2ページ" in main_part(second)
    assert "<title>「heron」の検索結果 (2ページ目) | Prism News</title>" in second.content.decode()
    assert Document(second.content.decode()).link("canonical") == [
        "http://testserver/search/?q=heron&page=2"
    ]
    # Past the last page, or not a page number: a 404, never a 500.
    for page in ["3", "0", "-1", "abc", "1.5", "99999999999999999999", "０", "²"]:
        assert client.get("/search/", {"q": "heron", "page": page}).status_code == 404, page
    # Page 1 has one address.
    response = client.get("/search/?q=heron&page=1")
    assert (response.status_code, response["Location"]) == (302, "/search/?q=heron")


def test_no_results_and_empty_query(client, library):
    none = main_part(client.get("/search/?q=narwhal"))
    assert "narwhal" in none and 'class="prism-card"' not in none
    assert "prism-search-empty" in none
    for url in ["/search/", "/en/search/"]:
        empty = client.get(url)
        assert empty.status_code == 200
        main = main_part(empty)
        assert 'class="prism-card"' not in main and "prism-search-empty" not in main
        assert 'value=""' in main  # the form, waiting
    assert "Type one or more words" in main_part(client.get("/en/search/"))
    # A query of nothing but spaces is the empty query, at its one address.
    response = client.get("/search/?q=%20%20")
    assert (response.status_code, response["Location"]) == (302, "/search/")


def test_each_language_searches_its_own_articles(client, library):
    assert titles(client.get("/search/?q=zebra")) == []
    assert titles(client.get("/en/search/?q=zebra")) == ["Zebra crossing"]
    assert titles(client.get("/en/search/?q=walrus")) == ["The walrus treaty"]
    assert titles(client.get("/en/search/?q=otter")) == []
    assert "The walrus treaty" not in titles(client.get("/search/?q=walrus"))
    english = client.get("/en/search/?q=zebra")
    assert '<html lang="en">' in english.content.decode()
    assert "1 article" in main_part(english)
    # hreflang alternates and the language switcher lead to the same search.
    document = Document(english.content.decode())
    alternates = {link["hreflang"]: link["href"] for link in document.links if link.get("hreflang")}
    assert alternates == {
        "ja": "http://testserver/search/?q=zebra",
        "x-default": "http://testserver/search/?q=zebra",
        "en": "http://testserver/en/search/?q=zebra",
    }
    switcher = [a for a in document.anchors if a.get("hreflang") == "ja"]
    assert switcher and all(a["href"] == "/search/?q=zebra" for a in switcher)


def test_only_articles_a_reader_may_see(client, library, django_user_model):
    politics = library["politics"]
    draft = story(politics, "Walrus draft", "walrus", live=False)
    unpublished = story(politics, "Walrus unpublished", "walrus")
    unpublished.unpublish()
    story(politics, "Walrus expired", "walrus",
          expire_at=timezone.now() - datetime.timedelta(minutes=1))  # fmt: skip
    private = story(politics, "Walrus private", "walrus")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    members = CategoryIndexPageFactory(parent=library["home"], title="Members", slug="members")
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    story(members, "Walrus members", "walrus")
    live = story(politics, "Walrus secret", "walrus")
    live.title = "Walrus zqsecretdraft"
    live.save_revision()  # an unpublished draft of a live article
    assert ArticlePage.objects.filter(title__startswith="Walrus").count() == 8
    client.force_login(django_user_model.objects.create_superuser("a", "a@x.test", "pw"))
    found = titles(client.get("/search/?q=walrus"))
    assert sorted(found) == ["Walrus fisheries", "Walrus secret", "Walrus treaty signed"]
    # The draft's words find nothing: only what was published is searched.
    assert draft.pk and titles(client.get("/search/?q=zqsecretdraft")) == []


def test_the_query_is_escaped_wherever_it_is_echoed(client, library):
    hostile = '<script>alert("x")</script> walrus'
    response = client.get("/search/", {"q": hostile})
    text = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in text
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; walrus"
    main = main_part(response)
    assert f'value="{escaped}"' in main
    assert f'<h1 class="prism-page-header__title">「{escaped}」の検索結果</h1>' in main
    assert f"<title>「{escaped}」の検索結果 | Prism News</title>" in text
    english = client.get("/en/search/", {"q": hostile}).content.decode()
    assert "<script>alert" not in english
    assert f"Search results for “{escaped}”</h1>" in english


def test_queries_do_not_grow_with_the_results(client, library, prism_settings):
    """A page of results costs the same queries for 1 card as for 6 (cards prefetched)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(6):
        story(library["politics"], f"Heron report {number}", "Herons nest here.",
              hero_image=ImageFactory(), hero_image_alt="A heron")  # fmt: skip
    counts = {}
    for size in [1, 6]:
        prism_settings(SEARCH_PAGE_SIZE=size)
        client.get("/search/?q=heron")  # renditions made on a first view
        with CaptureQueriesContext(connection) as queries:
            assert len(titles(client.get("/search/?q=heron"))) == size
        counts[size] = len(queries)
    assert counts[1] == counts[6], counts


# --- The masthead's form


@pytest.mark.parametrize("which", ["home", "politics", "walrus", "en_walrus", "en_home"])
def test_every_reader_page_has_the_search_form(client, library, which):
    page = library[which]
    html = client.get(page.url).content.decode()
    form = re.search(r'<form class="prism-search-form[^"]*"[^>]*>.*?</form>', html, re.S)
    assert form, which
    language = page.locale.language_code
    action = "/search/" if language == "ja" else f"/{language}/search/"
    assert f'action="{action}" method="get"' in form.group()
    assert 'role="search"' in form.group()
    label = re.search(r'<label[^>]*for="([^"]+)"', form.group())
    assert label and f'id="{label.group(1)}"' in form.group() and 'name="q"' in form.group()


def test_the_search_page_has_one_search_form(client, library):
    html = client.get("/en/search/?q=walrus").content.decode()
    assert html.count('role="search"') == 1 and html.count('name="q"') == 1


def test_a_host_without_the_search_url_has_no_form(client, library, settings):
    settings.ROOT_URLCONF = __name__
    html = client.get(library["walrus"].url).content.decode()
    assert "prism-search-form" not in html


# --- The response cache


@pytest.fixture
def cached(prism_settings):
    prism_settings(**CACHE_ON)


def response_keys():
    return {key for key in cache._cache if ":prism_news:response:" in key}


def test_a_second_request_is_a_hit(client, library, cached):
    assert client.get("/search/?q=walrus")["X-Prism-Cache"] == "miss"
    again = client.get("/search/?q=walrus")
    assert again["X-Prism-Cache"] == "hit"
    assert "Walrus treaty signed" in again.content.decode()
    # Other parameters share the entry; another query or page has its own.
    assert client.get("/search/?q=walrus&utm_source=x")["X-Prism-Cache"] == "hit"
    assert client.get("/search/?q=otter")["X-Prism-Cache"] == "miss"


def test_publishing_a_matching_article_shows_it(
    client, library, cached, django_capture_on_commit_callbacks
):
    assert titles(client.get("/search/?q=walrus")) != []
    assert client.get("/search/?q=walrus")["X-Prism-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        new = story(library["politics"], "Walrus census", "walrus", live=False)
        new.save_revision().publish()
    response = client.get("/search/?q=walrus")
    assert response["X-Prism-Cache"] == "miss"
    assert "Walrus census" in titles(response)
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=new.pk).unpublish()
    assert "Walrus census" not in titles(client.get("/search/?q=walrus"))
    # An English article is another language: the Japanese search stays cached.
    client.get("/search/?q=walrus")
    with django_capture_on_commit_callbacks(execute=True):
        story(library["en_politics"], "Walrus (en)", "walrus", live=False).save_revision().publish()
    assert client.get("/search/?q=walrus")["X-Prism-Cache"] == "hit"


def test_junk_parameters_and_spellings_make_no_new_keys(client, library, cached):
    client.get("/search/?q=walrus")
    client.get("/search/?q=walrus&page=2")  # a 404: kept nowhere
    before = response_keys()
    assert before
    for number in range(20):
        response = client.get(f"/search/?q=walrus&junk{number}=x&utm_source={number}")
        assert response["X-Prism-Cache"] == "hit"
    # Other spellings of the same query are redirected to it, and not kept.
    for spelling in ["  walrus", "walrus  ", "walrus\x00", "walrus\t", "walrus\n"]:
        response = client.get("/search/", {"q": spelling})
        assert (response.status_code, response["Location"]) == (302, "/search/?q=walrus")
    response = client.get("/search/", {"q": ["otter", "walrus"]})  # the last one counts
    assert response["Location"] == "/search/?q=walrus"
    long = client.get("/search/", {"q": "walrus " + "x" * 10_000})
    assert long.status_code == 302 and len(long["Location"]) < 200
    assert response_keys() == before


# --- Hostile input


#: Queries as a form sends them (lone surrogates, which no form can send, are in the
#: addresses below, percent-encoded as a hostile client sends them).
HOSTILE = [
    "x" * 10_000, "\x00", "a\x00b", "<script>alert(1)</script>", "🦭 walrus 🦭", '"',
    '"walrus', "*", "walrus*", "NEAR(walrus otter)", "NEAR(", "walrus OR otter", "AND",
    "-walrus", "'; DROP TABLE x; --", "%", "\\", "\u200b", "\ufeffwalrus", "é" * 200,
    "ｗａｌｒｕｓ", "e\u0301" * 50, "walrus:otter", "^walrus", "{walrus}",
]  # fmt: skip
ADDRESSES = [
    "q=%ED%A0%80", "q=walrus%ED%A0%80", "q=%00", "q=%FF%FE", "q=%C0%80", "q=walrus&page=-1",
    "q=walrus&page=abc", "q=walrus&page=99999999999999999999", "q=walrus&page=",
    "q=walrus&page=1e3", "page=2", "q=&page=2", "q=walrus&category=%00",
    "q=walrus&category=../../x", "category=", "q=walrus&q=%00&page=2&page=x",
]  # fmt: skip


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_hostile_input_is_never_a_server_error(client, library, prefix):
    client.raise_request_exception = False
    answers = {q: client.get(f"{prefix}/search/", {"q": q}, follow=True) for q in HOSTILE}
    assert {q: r.status_code for q, r in answers.items() if r.status_code != 200} == {}
    addresses = {a: client.get(f"{prefix}/search/?{a}", follow=True) for a in ADDRESSES}
    assert {a: r.status_code for a, r in addresses.items() if r.status_code >= 500} == {}


FUZZ = settings(
    max_examples=fuzz_examples(),
    deadline=None,
    derandomize=not os.environ.get("PRISM_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
#: Text a form can send (no lone surrogates: see ADDRESSES for those).
QUERIES = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
PAGES = st.one_of(
    st.none(),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=12),
)


def test_any_query_and_page_is_a_page_a_redirect_or_a_404(client, library):
    client.raise_request_exception = False

    @FUZZ
    @given(q=QUERIES, page=PAGES)
    @example(q="walrus", page="2")
    @example(q="\x00walrus\x00", page="1")
    def answers(q, page):
        query = {"q": q} if page is None else {"q": q, "page": page}
        response = client.get("/search/", query)
        assert response.status_code in (200, 302, 404), (q, page)
        if response.status_code == 302:
            # The canonical address: asked for, it answers without another redirect.
            target = client.get(response["Location"])
            assert target.status_code in (200, 404), (q, page)
            kept = parse_qs(urlsplit(response["Location"]).query).get("q", [""])[0]
            assert kept == normalise_query(q)

    answers()


def test_normalising_a_query_twice_changes_nothing(library):
    @FUZZ
    @given(st.text())
    @example("\ud800" + "x" * 500)
    @example("a" + "\u0301" * 200)
    def idempotent(text):
        once = normalise_query(text)
        assert normalise_query(once) == once
        assert len(once) <= 100 and "\x00" not in once and once == once.strip()

    idempotent()


# --- Japanese


def test_a_japanese_word_is_found(client, library):
    story(
        library["politics"],
        "中央アジアの新しい同盟",
        "カザフスタンは半導体の供給網に加わった。",
        summary="カザフスタンと日本の協力。",
    )
    response = client.get("/search/?q=カザフスタン")
    assert titles(response) == ["中央アジアの新しい同盟"]
    assert "<mark>カザフスタン</mark>" in main_part(response)
