"""The example site hardened by default (issue 19, item 5; media headers of item 1).

- every answer carries a Content-Security-Policy chosen by what it is: the site's pages a
  strict one (no inline script or style), the admin a few measured allowances, the API,
  feeds and sitemaps one that allows nothing, media files a sandbox; media files are
  ``nosniff`` and, unless a raster image, downloads (the browser tests prove that the
  pages and the admin work under their policy);
- ``manage.py check --deploy`` has nothing to say when the site is on HTTPS;
- 25 wrong passwords on a login or a private page's password form lock that client out
  (429) for the cool-off, even with the right password; after it, the right one works.
"""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from .factories import ArticlePageFactory

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "right-horse-battery"


def policy(response):
    """The response's Content-Security-Policy as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


# Content-Security-Policy ---------------------------------------------------------------


@pytest.fixture
def article(category):
    return ArticlePageFactory(parent=category, title="Story", slug="story")


@pytest.mark.django_db
def test_pages_allow_no_inline_script_or_style_and_no_foreign_script(client, article):
    for url in ("/", category_url(article), article.url):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = policy(response)
        assert csp["script-src"] == ["'self'"], url
        assert csp["style-src"] == ["'self'"], url
        assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"], url
        assert csp["frame-ancestors"] == ["'self'"], url
        assert "upgrade-insecure-requests" not in csp  # the site is on plain http here


def category_url(article):
    return article.get_parent().url


@pytest.mark.django_db
def test_the_admin_gets_its_allowances_and_no_more(client, admin_user, article):
    client.force_login(admin_user)
    for url in ("/admin/", f"/admin/pages/{article.pk}/edit/", "/django-admin/"):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = policy(response)
        assert csp["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert csp["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
    # The login page is the admin's too, and the front end keeps its own policy.
    assert policy(Client().get("/admin/login/"))["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy(client.get(article.url))["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_api_feeds_and_sitemaps_allow_nothing(client, article):
    for url in (
        "/api/v2/pages/",
        f"/api/v2/pages/{article.pk}/",
        "/api/v3/pages/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/robots.txt",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}, url


@pytest.mark.django_db
def test_a_cached_answer_carries_the_policy_too(client, article, prism_settings):
    prism_settings(RESPONSE_CACHE=True)
    first, second = client.get(article.url), client.get(article.url)
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    assert policy(second)["script-src"] == ["'self'"]


# Media ----------------------------------------------------------------------------------

EVIL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)">'
    b"<script>alert(1)</script></svg>"
)


@pytest.fixture
def media(settings):
    """Files under MEDIA_ROOT, served by Django as the example site does with DEBUG."""
    settings.ROOT_URLCONF = "tests.browser_urls"
    folder = Path(settings.MEDIA_ROOT) / "original_images"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evil.svg").write_bytes(EVIL_SVG)
    (folder / "page.html").write_bytes(b"<script>alert(1)</script>")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    return "/media/original_images/"


@pytest.mark.django_db
def test_a_stored_svg_cannot_run_when_opened(client, media):
    response = client.get(media + "evil.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "attachment"
    csp = policy(response)
    assert csp["default-src"] == ["'none'"]
    assert "sandbox" in csp and csp["sandbox"] == []  # no allow-scripts, no same origin
    assert "script-src" not in csp


@pytest.mark.django_db
def test_media_other_than_raster_images_is_a_download(client, media):
    html = client.get(media + "page.html")
    assert html["Content-Disposition"] == "attachment"
    assert "sandbox" in policy(html)
    png = client.get(media + "photo.png")
    assert png["Content-Type"] == "image/png"
    assert not png.get("Content-Disposition", "inline").startswith("attachment")
    assert png["X-Content-Type-Options"] == "nosniff"
    assert policy(png)["default-src"] == ["'none'"]


@pytest.mark.django_db
def test_documents_are_not_served_from_media(client, media, settings):
    folder = Path(settings.MEDIA_ROOT) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "private.pdf").write_bytes(b"%PDF-1.4 private")
    assert client.get("/media/documents/private.pdf").status_code == 404


# check --deploy ------------------------------------------------------------------------


def manage(*args, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT / "example_site",
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SITE_URL": "https://news.example.com",
    "ALLOWED_HOSTS": "news.example.com",
    "PROXY_COUNT": "1",
}


@pytest.mark.slow
def test_check_deploy_has_nothing_to_say_on_https():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


SHOW = (
    "from django.conf import settings as s; print('SETTINGS', s.SECURE_SSL_REDIRECT,"
    " s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
    " s.SECURE_PROXY_SSL_HEADER)"
)


def shown(result):
    [line] = [line for line in result.stdout.splitlines() if line.startswith("SETTINGS ")]
    return line.split()[1:]


@pytest.mark.slow
def test_https_turns_on_redirect_hsts_and_secure_cookies_and_plain_http_stays_usable():
    https = manage("shell", "-c", SHOW, **PRODUCTION)
    assert shown(https) == [
        "True", "31536000", "True", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')",
    ], https.stderr  # fmt: skip
    demo = manage("shell", "-c", SHOW, DEBUG="1", SITE_URL="http://127.0.0.1:8000")
    assert shown(demo) == ["False", "0", "False", "False", "None"], demo.stderr
    # Without a proxy, X-Forwarded-Proto is nobody's to set.
    alone = manage("shell", "-c", SHOW, **{**PRODUCTION, "PROXY_COUNT": "0"})
    assert shown(alone)[-1] == "None", alone.stderr


# Login and page-password throttling ----------------------------------------------------


@pytest.fixture
def throttled(settings):
    """The example site's authentication backends (tests/settings.py leaves axes' out)."""
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "e@x.test", PASSWORD)


def log_in(client, password, url="/admin/login/", username="editor"):
    return client.post(url, {"username": username, "password": password})


def cool_off_passes():
    """Move every recorded failure back past the cool-off (15 minutes)."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))


@pytest.mark.django_db
def test_25_wrong_passwords_lock_the_admin_login(throttled, editor):
    client = Client()
    statuses = [log_in(client, f"wrong-{i}").status_code for i in range(25)]
    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert statuses[4:] == [429] * 21  # the fifth failure locks out

    locked = log_in(client, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert locked["Retry-After"] == "900"
    assert "試行回数が多すぎます" in locked.content.decode()  # the site's default language
    assert "15 分後" in locked.content.decode()

    cool_off_passes()
    response = log_in(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(editor.pk)


@pytest.mark.django_db
def test_the_lockout_is_per_username_and_address(throttled, editor):
    for _ in range(5):
        log_in(Client(), "wrong")
    assert log_in(Client(), PASSWORD).status_code == 429
    # The editor, from another address, is not locked out by someone else's guesses.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert log_in(other, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_reset_the_count(throttled, editor):
    """No proxy configured: X-Forwarded-For is the client's to write, and is ignored."""
    for i in range(5):
        log_in(Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"), "wrong")
    assert log_in(Client(HTTP_X_FORWARDED_FOR="203.0.113.99"), PASSWORD).status_code == 429


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_address_is_the_client(throttled, editor, settings):
    """PROXY_COUNT=1 (newsroom/settings.py): nginx sets X-Forwarded-For to the client's
    address, appended to whatever the client sent."""
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

    def behind_nginx(client_address, forged=None):
        chain = f"{forged}, {client_address}" if forged else client_address
        return Client(HTTP_X_FORWARDED_FOR=chain)

    for _ in range(5):
        log_in(behind_nginx("203.0.113.5"), "wrong")
    assert log_in(behind_nginx("203.0.113.5"), PASSWORD).status_code == 429
    assert log_in(behind_nginx("203.0.113.6"), PASSWORD).status_code == 302
    # A client writing its own X-Forwarded-For does not get a fresh count per value.
    for i in range(5):
        log_in(behind_nginx("203.0.113.7", forged=f"192.0.2.{i}"), "wrong")
    assert log_in(behind_nginx("203.0.113.7", forged="192.0.2.99"), PASSWORD).status_code == 429


@pytest.mark.django_db
def test_djangos_admin_login_is_throttled_too(throttled, editor):
    client = Client()
    for _ in range(5):
        log_in(client, "wrong", url="/django-admin/login/")
    assert log_in(client, PASSWORD, url="/django-admin/login/").status_code == 429
    assert log_in(client, PASSWORD).status_code == 429  # the same account, any login form


@pytest.fixture
def private_article(article):
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    return article, restriction


def send_page_password(client, article, restriction, password):
    return client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{article.pk}/",
        {"password": password, "return_url": article.url},
    )


@pytest.mark.django_db
def test_25_wrong_page_passwords_lock_the_form(private_article, category):
    article, restriction = private_article
    client = Client()
    form = client.get(article.url)
    assert (
        f"/_util/authenticate_with_password/{restriction.pk}/{article.pk}/" in form.content.decode()
    )

    statuses = [
        send_page_password(client, article, restriction, f"wrong-{i}").status_code
        for i in range(25)
    ]
    assert statuses[:4] == [200] * 4 and statuses[4:] == [429] * 21
    assert send_page_password(client, article, restriction, PASSWORD).status_code == 429
    assert "Story" not in client.get(article.url).content.decode().split("<main")[-1]

    # Another private page's form is another lock.
    other = ArticlePageFactory(parent=category, title="Other", slug="other")
    other_restriction = PageViewRestriction.objects.create(
        page=other, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    assert send_page_password(client, other, other_restriction, PASSWORD).status_code == 302

    cool_off_passes()
    response = send_page_password(client, article, restriction, PASSWORD)
    assert response.status_code == 302 and response["Location"] == article.url
    assert client.get(article.url).status_code == 200
    assert "<h1" in client.get(article.url).content.decode()


@pytest.mark.django_db
def test_the_english_page_password_form_is_throttled_in_english(private_article, en):
    article, restriction = private_article
    url = f"/en/_util/authenticate_with_password/{restriction.pk}/{article.pk}/"
    client = Client()
    response = client.post(url, {"password": "wrong", "return_url": article.url})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == f"page-password:{restriction.pk}"
    for _ in range(4):
        response = client.post(url, {"password": "wrong", "return_url": article.url})
    assert response.status_code == 429
    assert "Try again in 15 minutes." in response.content.decode()
    assert 'lang="en"' in response.content.decode()
