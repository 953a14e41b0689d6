"""Data built once for a test module and read by each of its tests.

Django's ``TestCase.setUpTestData``, for pytest. A module defines
``build_module_data(request)``, and its tests (through their fixtures) ask for
``module_data``. The function runs once, inside a transaction opened for the module;
every test then runs in pytest-django's own atomic block, a savepoint inside that
transaction, rolled back when the test ends, so a test that writes leaves the data as
it found it. The module's transaction is rolled back after its last test. What the
function returns is deep-copied for each test (as Django does for ``setUpTestData``),
so a test that changes an instance in memory changes its own copy.

A test of the module that did not ask for the data, but ran while it was there, would
see it: the fixture refuses a module where any test does not use it.
"""

import copy
import os

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def _module_data_once(request, django_db_setup, django_db_blocker):
    build = getattr(request.module, "build_module_data", None)
    if build is None:
        raise pytest.UsageError(f"{request.module.__name__} defines no build_module_data()")
    _check_every_test_uses(request)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As TestCase's own class-wide block: a durable block may open inside it.
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            value = build(request)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield value
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def module_data(_module_data_once, db):
    """What the module's ``build_module_data`` returned, a copy for this test."""
    return copy.deepcopy(_module_data_once)


def _check_every_test_uses(request):
    others = [
        item.nodeid
        for item in request.session.items
        if item.module is request.module and "module_data" not in item.fixturenames
    ]
    if others:
        raise pytest.UsageError(
            f"{request.module.__name__} builds its data once for all its tests, so every "
            f"test there must use module_data; these do not: {', '.join(others)}"
        )


def load_demo(**overrides):
    """The demo as the example site loads it (its review policy on), under the settings
    ``overrides``; and the renditions its pages and API answers show, made once here
    rather than by each test's first request."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from wagtail.models import Page

    review_on = {**settings.PRISM_NEWS, "REQUIRE_AI_REVIEW": True}
    with override_settings(PRISM_NEWS=review_on, **overrides), open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
        client = Client()
        for page in Page.objects.live().filter(depth__gt=1).specific():
            client.get(page.url)
            client.get(f"/api/v2/pages/{page.pk}/")
