"""Around the deliveries: the receiver examples in the docs, the checks, pruning."""

import base64
import datetime
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from prism_news.checks import check_aliases, check_settings, check_webhook_backend
from prism_news.models import WebhookDelivery, WebhookEndpoint
from prism_news.webhooks.events import EVENT_TYPES

from .factories import ArticlePageFactory
from .webhook_receiver import SECRET, Receiver, hostile_headers, run_worker

DOCS = Path(__file__).resolve().parent.parent / "docs" / "webhooks.md"


def example(language):
    text = DOCS.read_text()
    marker = f"<!-- receiver-example: {language} -->\n```"
    block = text.split(marker, 1)[1].split("\n", 1)[1]
    return block.split("```", 1)[0]


@pytest.fixture
def signed_request(db, category, django_capture_on_commit_callbacks):
    """A real delivery's signature header and raw body, as a receiver gets them."""
    receiver = Receiver()
    try:
        WebhookEndpoint.objects.create(
            name="Docs", url=receiver.url, secret=SECRET, event_types=EVENT_TYPES
        )
        with django_capture_on_commit_callbacks(execute=True):
            ArticlePageFactory(
                parent=category, live=False, title="技術同盟"
            ).save_revision().publish()
        run_worker()
        [request] = receiver.requests
    finally:
        receiver.close()
    return request.headers["X-Prism-Signature"], request.body


def test_the_python_receiver_example_verifies_a_real_delivery(signed_request):
    code = example("python")
    assert len([line for line in code.splitlines() if line.strip()]) <= 10
    namespace = {}
    exec(compile(code, str(DOCS), "exec"), namespace)  # noqa: S102  (our own docs)
    verify = namespace["verify"]
    header, body = signed_request
    assert "技術同盟".encode() in body  # UTF-8, not \\u escapes: the raw bytes are signed
    assert verify(SECRET.encode(), header, body)
    assert not verify(SECRET.encode(), header, body.replace(b"page.published", b"page.deleted"))
    assert not verify(b"wrong-secret", header, body)
    old = re.sub(r"t=(\d+)", lambda m: f"t={int(m.group(1)) - 600}", header)
    assert not verify(SECRET.encode(), old, body)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_javascript_receiver_example_verifies_a_real_delivery(signed_request):
    code = example("javascript")
    assert len([line for line in code.splitlines() if line.strip()]) <= 10
    header, body = signed_request
    script = code + (
        "\nconst input = JSON.parse(process.argv[1]);"
        "\nconst body = Buffer.from(input.body, 'base64');"
        "\nconsole.log(JSON.stringify(["
        "verify(input.secret, input.header, body),"
        "verify(input.secret, input.header, Buffer.concat([body, Buffer.from(' ')])),"
        "verify('wrong-secret', input.header, body)]));"
    )
    argument = json.dumps(
        {"secret": SECRET, "header": header, "body": base64.b64encode(body).decode()}
    )
    result = subprocess.run(
        ["node", "-e", script, argument], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, False, False]


def test_the_python_receiver_example_refuses_every_malformed_header(signed_request):
    namespace = {}
    exec(compile(example("python"), str(DOCS), "exec"), namespace)  # noqa: S102
    verify = namespace["verify"]
    header, body = signed_request
    assert verify(SECRET.encode(), header, body) is True
    for hostile in hostile_headers(header):
        assert verify(SECRET.encode(), hostile, body) is False, hostile


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_javascript_receiver_example_refuses_every_malformed_header(signed_request):
    header, body = signed_request
    headers = [header, *hostile_headers(header)]
    script = example("javascript") + (
        "\nconst input = JSON.parse(process.argv[1]);"
        "\nconst body = Buffer.from(input.body, 'base64');"
        "\nconsole.log(JSON.stringify(input.headers.map((header) => {"
        "\n  try { return verify(input.secret, header, body); }"
        "\n  catch (error) { return `threw ${error}`; }"
        "\n})));"
    )
    argument = json.dumps(
        {"secret": SECRET, "headers": headers, "body": base64.b64encode(body).decode()}
    )
    result = subprocess.run(
        ["node", "-e", script, argument], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert answers[0] is True
    assert dict(zip(map(repr, headers[1:]), answers[1:], strict=True)) == {
        repr(hostile): False for hostile in headers[1:]
    }


@pytest.mark.parametrize(
    ("overrides", "check_id", "fragment"),
    [
        ({"WEBHOOK_TIMEOUT": 0}, "prism_news.E002", "WEBHOOK_TIMEOUT"),
        ({"WEBHOOK_MAX_ATTEMPTS": 0}, "prism_news.E002", "WEBHOOK_MAX_ATTEMPTS"),
        ({"WEBHOOK_MAX_ATTEMPTS": 2.5}, "prism_news.E001", "WEBHOOK_MAX_ATTEMPTS"),
        ({"WEBHOOK_RETRY_JITTER": 1.5}, "prism_news.E002", "WEBHOOK_RETRY_JITTER"),
        ({"WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1"}, "prism_news.E001", "list[IP network]"),
        ({"WEBHOOK_ALLOWED_NETWORKS": ["localhost"]}, "prism_news.E002", "'localhost'"),
        ({"WEBHOOK_TASK_BACKEND": "nowhere"}, "prism_news.E004", "not a backend in TASKS"),
        ({"PREVIEW_TOKEN_MAX_AGE": -1}, "prism_news.E002", "PREVIEW_TOKEN_MAX_AGE"),
    ],
)
def test_bad_webhook_settings_are_errors(prism_settings, overrides, check_id, fragment):
    assert check_settings() + check_aliases() == []
    prism_settings(**overrides)
    messages = check_settings() + check_aliases()
    assert [m.id for m in messages] == [check_id]
    assert fragment in messages[0].msg


def test_an_active_endpoint_without_a_deferring_backend_is_a_warning(db, prism_settings):
    endpoint = WebhookEndpoint.objects.create(
        name="Front", url="https://front.example.com/", secret=SECRET, event_types=EVENT_TYPES
    )
    assert check_webhook_backend(databases=["default"]) == []  # the database backend
    prism_settings(WEBHOOK_TASK_BACKEND="default")  # the immediate backend in the tests
    [warning] = check_webhook_backend(databases=["default"])
    assert warning.id == "prism_news.W005" and "ImmediateBackend" in warning.msg
    endpoint.active = False
    endpoint.save()
    assert check_webhook_backend(databases=["default"]) == []


def test_pruning_deletes_old_finished_deliveries_only(db):
    endpoint = WebhookEndpoint.objects.create(
        name="Front", url="https://front.example.com/", secret=SECRET, event_types=EVENT_TYPES
    )
    now = timezone.now()
    rows = {}
    for name, status, age in [
        ("old ok", "succeeded", 40),
        ("old failed", "failed", 40),
        ("old pending", "pending", 40),
        ("recent", "succeeded", 3),
    ]:
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event_id="0b5c6a3e-2f55-4cf4-9a59-6d1f0f1e8a57",
            event_type="page.published", payload={"name": name}, status=status,
        )  # fmt: skip
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            created_at=now - datetime.timedelta(days=age)
        )
        rows[name] = delivery.pk
    out = io.StringIO()
    call_command("prune_webhook_deliveries", "--dry-run", stdout=out)
    assert "Would delete 2 " in out.getvalue() and WebhookDelivery.objects.count() == 4
    call_command("prune_webhook_deliveries", stdout=out)
    kept = set(WebhookDelivery.objects.values_list("payload__name", flat=True))
    assert kept == {"old pending", "recent"}
    call_command("prune_webhook_deliveries", "--days", "2", stdout=out)
    assert set(WebhookDelivery.objects.values_list("payload__name", flat=True)) == {"old pending"}
    for bad in ("0", "-3", "seven"):
        with pytest.raises(CommandError, match="--days: expected a whole number"):
            call_command("prune_webhook_deliveries", "--days", bad)
