"""Every PRISM_NEWS setting is declared with a kind, and the checks hold values to it."""

import re
from pathlib import Path

import pytest
from django.core.checks import Error, Warning
from django.core.management import call_command
from django.core.management.base import SystemCheckError

import prism_news.checks
from prism_news.checks import (
    CHECKS,
    check_aliases,
    check_category_page_sizes,
    check_finish_workflow_action,
    check_settings,
    check_translation_live_status,
    check_webhook_backend,
    issue,
)
from prism_news.conf import DEFAULTS, SETTINGS
from prism_news.setting_kinds import Kind

ARTICLES = "/api/v2/pages/?type=prism_news.ArticlePage&limit=10"


def ids(messages):
    return [m.id for m in messages]


def test_every_default_is_declared_with_a_kind_and_one_line():
    assert list(DEFAULTS) == list(SETTINGS)
    for key, setting in SETTINGS.items():
        assert isinstance(setting.kind, Kind) and setting.kind.name, key
        assert setting.description.endswith(".") and "\n" not in setting.description, key


def test_the_defaults_pass_their_own_checks(prism_settings):
    prism_settings(**DEFAULTS)
    assert check_settings() + check_aliases() == []


@pytest.mark.parametrize("key", list(SETTINGS))
def test_every_setting_is_type_checked(prism_settings, key):
    prism_settings(**{key: object()})
    [message] = check_settings()
    assert message.id == "prism_news.E001"
    assert f"PRISM_NEWS[{key!r}]" in message.msg
    assert message.msg.endswith(f"expected {SETTINGS[key].kind.name}.")


def test_a_number_given_as_text_is_an_error_naming_the_key_and_type(prism_settings):
    prism_settings(API_LIMIT_MAX="50")
    [message] = check_settings()
    assert isinstance(message, Error) and message.id == "prism_news.E001"
    assert message.msg == "PRISM_NEWS['API_LIMIT_MAX'] is '50' (type str); expected int ≥ 1."


def test_check_catches_what_would_fail_in_a_request(client, db, prism_settings):
    assert client.get(ARTICLES).status_code == 200
    prism_settings(API_LIMIT_MAX="50")
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")  # what runserver and `manage.py check --deploy` run first
    assert "(prism_news.E001) PRISM_NEWS['API_LIMIT_MAX'] is '50'" in str(raised.value)
    # Unchecked, the same request compares a number with the text: a server error.
    with pytest.raises(TypeError):
        client.get(ARTICLES)


@pytest.mark.parametrize(
    ("overrides", "check_id", "fragment"),
    [
        ({"RESPONSE_CACHE": "yes"}, "prism_news.E001", "is 'yes' (type str); expected bool"),
        ({"RELATED_COUNT": True}, "prism_news.E001", "is True (type bool)"),
        ({"READING_CHARACTERS_PER_MINUTE": {"ja": "fast"}}, "prism_news.E001", "'ja': 'fast'"),
        ({"LANGUAGE_LABELS": {1: "JP"}}, "prism_news.E001", "has the key 1 (type int)"),
        ({"JSON_LD_IMAGE_RENDITIONS": "fill-1200x900"}, "prism_news.E001", "(type str)"),
        ({"JSON_LD_IMAGE_RENDITIONS": ["fill-1200x900", 3]}, "prism_news.E001", "has 3"),
        ({"NEWS_SITEMAP_HOURS": 0}, "prism_news.E002", "is 0; expected number > 0"),
        ({"API_LIMIT_MAX": 0}, "prism_news.E002", "is 0; expected int ≥ 1"),
        ({"API_OFFSET_MAX": -1}, "prism_news.E002", "API_OFFSET_MAX"),
        ({"API_CARD_RENDITIONS": {"thumbnail": "fill-abc"}}, "prism_news.E002", "'fill-abc'"),
        ({"JSON_LD_IMAGE_RENDITIONS": ["blur-x|fill"]}, "prism_news.E002", "'blur-x|fill'"),
        ({"WEBHOOK_TASK_QUEUE": ""}, "prism_news.E002", "expected non-empty str"),
        ({"RESPONSE_CACHE_ALIAS": "nowhere"}, "prism_news.E004", "not a backend in CACHES"),
    ],
)
def test_bad_values(prism_settings, overrides, check_id, fragment):
    prism_settings(**overrides)
    [message] = check_settings() + check_aliases()
    assert message.id == check_id
    assert fragment in message.msg and repr(next(iter(overrides))) in message.msg


def test_good_values_of_every_shape_pass(prism_settings):
    prism_settings(
        READING_WORDS_PER_MINUTE=180.5,
        RELATED_COUNT=0,
        API_CARD_RENDITIONS={"thumbnail": "fill-480x270|format-webp"},
        JSON_LD_IMAGE_RENDITIONS=("fill-1200x1200",),
        WEBHOOK_ALLOWED_NETWORKS=["10.0.0.0/8", "::1/128"],
        WEBHOOK_RETRY_JITTER=0,
        RESPONSE_CACHE=False,
    )
    assert check_settings() + check_aliases() == []


def test_a_typo_names_the_nearest_setting(prism_settings):
    prism_settings(API_LIMT_MAX=20, SOMETHING_ELSE=1)
    messages = check_settings()
    assert ids(messages) == ["prism_news.W001", "prism_news.W001"]
    assert isinstance(messages[0], Warning) and "'API_LIMT_MAX'" in messages[0].msg
    assert messages[0].hint == "Did you mean 'API_LIMIT_MAX'?"
    assert messages[1].hint == "Check the spelling against docs/settings.md."


def test_settings_that_are_no_dict_are_one_error_and_crash_no_check(settings, db):
    settings.PRISM_NEWS = [("RELATED_COUNT", 2)]
    [message] = check_settings()
    assert message.id == "prism_news.E005" and "(type list)" in message.msg
    assert check_aliases() == []
    settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = True
    assert ids(check_translation_live_status()) == ["prism_news.W002"]  # from the defaults
    assert check_finish_workflow_action() == []
    assert check_webhook_backend(databases=["default"]) == []


def test_every_registered_id_is_raised_and_the_level_comes_from_the_registry():
    source = Path(prism_news.checks.__file__).read_text()
    raised = set(re.findall(r'(?:issue|missing_apps)\(\s*"(prism_news\.[EWI]\d{3})"', source))
    assert raised == set(CHECKS)
    assert isinstance(issue("prism_news.W001", "x"), Warning)
    assert isinstance(issue("prism_news.E001", "x"), Error)
    with pytest.raises(KeyError):
        issue("prism_news.E999", "an id nobody documented")


def test_a_default_page_size_above_the_largest_is_an_error(prism_settings):
    prism_settings(CATEGORY_PAGE_SIZE_DEFAULT=60, CATEGORY_PAGE_SIZE_MAX=50)
    [message] = check_category_page_sizes()
    assert message.id == "prism_news.E006"
    assert "is 60, larger than" in message.msg and "(50)" in message.msg
    with pytest.raises(SystemCheckError, match=r"prism_news\.E006"):
        call_command("check")  # as manage.py and runserver run it
    prism_settings(CATEGORY_PAGE_SIZE_DEFAULT=50, CATEGORY_PAGE_SIZE_MAX=50)
    assert check_category_page_sizes() == []
    # A value of the wrong type is E001's to report, not a crash here.
    prism_settings(CATEGORY_PAGE_SIZE_DEFAULT="60", CATEGORY_PAGE_SIZE_MAX=50)
    assert check_category_page_sizes() == []
