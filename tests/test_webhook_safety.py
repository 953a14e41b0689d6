"""Outbound safety and secrets: which targets may be called, and where the secret never goes.

No test here connects anywhere but 127.0.0.1: refused targets are refused
before any socket is opened (``no_connections`` fails the test otherwise).
"""

import ipaddress
import logging
import socket

import pytest
from django_tasks_db.models import DBTaskResult
from hypothesis import given, settings
from hypothesis import strategies as st

from prism_news.models import WebhookDelivery, WebhookEndpoint
from prism_news.webhooks import client as webhook_client
from prism_news.webhooks import signing
from prism_news.webhooks.events import EVENT_TYPES
from prism_news.webhooks.safety import UnsafeTarget, check_url

from .factories import ArticlePageFactory
from .webhook_receiver import SECRET, hostile_headers, run_worker

PUBLIC = "93.184.215.14"


@pytest.fixture
def no_connections(monkeypatch):
    attempts = []

    def refuse(address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"a refused target was connected to: {address}")

    monkeypatch.setattr(webhook_client.socket, "create_connection", refuse)
    return attempts


@pytest.fixture
def dns(monkeypatch):
    """``dns["name.test"] = ["10.0.0.7"]``: what getaddrinfo answers for test names."""
    answers = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [
                (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (ip, port))
                for ip in answers[host]
            ]  # fmt: skip
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3:8080/hook",
        "http://localhost:8000/",
        "http://api.localhost/",
        "http://[::1]/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "ftp://example.com/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://user:password@example.com/",
        "http:///no-host",
        "http://example.com:99999/",
    ],
)
def test_unsafe_targets_are_refused(url, prism_settings, no_connections):
    prism_settings(WEBHOOK_ALLOWED_NETWORKS=[])
    with pytest.raises(UnsafeTarget):
        check_url(url)
    assert no_connections == []


#: IPv4 written in IPv6: each form of a refused IPv4 address is refused as that address.
EMBEDDED_REFUSED = [
    "http://[64:ff9b::7f00:1]/",  # NAT64 (well-known prefix) of 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of the metadata service, 169.254.169.254
    "http://[64:ff9b::a00:7]:8080/hook",  # NAT64 of 10.0.0.7
    "http://[64:ff9b:1::808:808]/",  # local-use NAT64: refused whatever it carries
    "http://[2002:7f00:1::1]/",  # 6to4 of 127.0.0.1
    "http://[2002:c0a8:101::1]/",  # 6to4 of 192.168.1.1
    "http://[::127.0.0.1]/",  # IPv4-compatible
    "http://[::a9fe:a9fe]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:10.1.2.3]/",
    "http://[::ffff:0:7f00:1]/",  # IPv4-translated (SIIT)
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo: never public
    "http://[2002:5db8:d70e::1]/",  # 6to4, even of a public address: never public
]
EMBEDDED_PUBLIC = [
    ("http://[64:ff9b::5db8:d70e]/", "64:ff9b::5db8:d70e"),  # NAT64 of 93.184.215.14
    ("http://[::93.184.215.14]/", "::5db8:d70e"),  # IPv4-compatible
    ("http://[::ffff:93.184.215.14]/", "::ffff:5db8:d70e"),  # IPv4-mapped
    ("http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
]


@pytest.mark.parametrize("url", EMBEDDED_REFUSED)
def test_ipv4_written_in_ipv6_is_judged_as_ipv4(url, prism_settings, dns, no_connections):
    prism_settings(WEBHOOK_ALLOWED_NETWORKS=[])
    with pytest.raises(UnsafeTarget):
        check_url(url, resolve=False)  # when the admin saves the endpoint
    with pytest.raises(UnsafeTarget):
        check_url(url)
    # The same address given by DNS (an AAAA record) is refused when delivering.
    dns["nat.example.test"] = [url.split("[", 1)[1].split("]", 1)[0]]
    with pytest.raises(UnsafeTarget):
        check_url("http://nat.example.test/")
    assert no_connections == []


@pytest.mark.parametrize(("url", "address"), EMBEDDED_PUBLIC)
def test_ipv6_forms_of_public_ipv4_addresses_are_allowed(url, address, prism_settings):
    prism_settings(WEBHOOK_ALLOWED_NETWORKS=[])
    # Compared as addresses: Python 3.13 writes IPv4-mapped ones in dotted form.
    assert [ipaddress.ip_address(a) for a in check_url(url).addresses] == [
        ipaddress.ip_address(address)
    ]


def test_allowed_ipv4_networks_allow_mapped_forms_only(prism_settings):
    """A mapped address is its IPv4 address (the socket connects to that very one); the
    NAT64, 6to4 and compatible forms go through a translator or relay elsewhere, so
    they are allowed only by listing their IPv6 network."""
    prism_settings(WEBHOOK_ALLOWED_NETWORKS=["127.0.0.1/32"])
    assert [
        ipaddress.ip_address(a) for a in check_url("http://[::ffff:127.0.0.1]:9/").addresses
    ] == [ipaddress.ip_address("::ffff:7f00:1")]
    for url in ("http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::1]/", "http://[::127.0.0.1]/"):
        with pytest.raises(UnsafeTarget):
            check_url(url)
    prism_settings(WEBHOOK_ALLOWED_NETWORKS=["64:ff9b::a00:0/120"])
    assert check_url("http://[64:ff9b::a00:7]/").addresses == ("64:ff9b::a00:7",)
    with pytest.raises(UnsafeTarget):
        check_url("http://[64:ff9b::7f00:1]/")


def test_allowed_networks_open_exactly_those_addresses(prism_settings):
    prism_settings(WEBHOOK_ALLOWED_NETWORKS=["127.0.0.1/32"])
    assert check_url("http://127.0.0.1:9/hook?a=1").addresses == ("127.0.0.1",)
    assert check_url("http://127.0.0.1:9/hook?a=1").path == "/hook?a=1"
    for url in ("http://127.0.0.2/", "http://[::1]/", "http://localhost/"):
        with pytest.raises(UnsafeTarget):  # localhost is ::1 as well
            check_url(url)
    assert check_url(f"https://{PUBLIC}/").port == 443


def test_every_address_a_name_resolves_to_is_checked(dns, prism_settings):
    prism_settings(WEBHOOK_ALLOWED_NETWORKS=[])
    dns["inside.example.test"] = ["10.0.0.7"]
    dns["mixed.example.test"] = [PUBLIC, "10.0.0.7"]
    dns["public.example.test"] = [PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
    for name in ("inside", "mixed"):
        with pytest.raises(UnsafeTarget, match="10.0.0.7"):
            check_url(f"https://{name}.example.test/hook")
    target = check_url("https://public.example.test/hook")
    assert target.host == "public.example.test" and target.addresses[0] == PUBLIC


def test_a_name_pointing_inside_fails_the_delivery_without_a_connection(
    db, dns, category, no_connections, django_capture_on_commit_callbacks
):
    dns["hooks.example.test"] = ["169.254.169.254"]
    WebhookEndpoint.objects.create(
        name="Sneaky", url="http://hooks.example.test/", secret=SECRET, event_types=EVENT_TYPES
    )
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(parent=category, live=False).save_revision().publish()
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "169.254.169.254" in delivery.last_error
    assert no_connections == []


def test_the_request_goes_to_the_checked_address(
    db, dns, receiver, category, monkeypatch, django_capture_on_commit_callbacks
):
    """The client connects to the address that was checked: a name that resolves to
    another address a moment later (DNS rebinding) is not asked again. The name is
    still sent as Host."""
    port = receiver.server.server_address[1]
    answers = iter([["127.0.0.1"], ["10.9.9.9"], ["10.9.9.9"]])
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host == "receiver.example.test":
            dns[host] = next(answers)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    WebhookEndpoint.objects.create(
        name="Named", url=f"http://receiver.example.test:{port}/in", secret=SECRET,
        event_types=EVENT_TYPES,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(parent=category, live=False).save_revision().publish()
    original = socket.create_connection
    seen = []

    def only_loopback(address, *args):
        seen.append(address)
        assert address[0] == "127.0.0.1", f"connected to {address}"
        return original(address, *args)

    monkeypatch.setattr(webhook_client.socket, "create_connection", only_loopback)
    run_worker()
    assert seen == [("127.0.0.1", port)]
    [request] = receiver.requests
    assert request.headers["Host"] == f"receiver.example.test:{port}"
    assert request.signature_valid
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_the_secret_stays_out_of_logs_tasks_and_repr(
    db, receiver, category, caplog, django_capture_on_commit_callbacks
):
    endpoint = WebhookEndpoint.objects.create(
        name="Front end", url=receiver.url, secret=SECRET, event_types=EVENT_TYPES
    )
    receiver.fail(1, status=500)
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(parent=category, live=False).save_revision().publish()
    run_worker()
    assert WebhookDelivery.objects.get().status == "pending"
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "Webhook delivery" in logged  # the delivery was logged, without the secret
    assert SECRET not in logged
    stored = " ".join(str(row) for row in DBTaskResult.objects.values())
    assert "deliver" in stored and SECRET not in stored
    assert SECRET not in repr(endpoint) + str(endpoint)
    assert SECRET not in str(WebhookDelivery.objects.get().payload)


def test_verify_accepts_only_a_fresh_signature_of_the_same_body():
    body = b'{"type":"page.published"}'
    header = signing.signature_header(SECRET, body, timestamp=1_800_000_000)
    assert header.startswith("t=1800000000,v1=")
    assert signing.verify(SECRET, header, body, now=1_800_000_100)
    assert not signing.verify(SECRET, header, body + b" ", now=1_800_000_100)
    assert not signing.verify("another-secret", header, body, now=1_800_000_100)
    assert not signing.verify(SECRET, header, body, now=1_800_000_000 + 301)  # a replay
    assert not signing.verify(SECRET, "v1=abc", body)
    assert not signing.verify(SECRET, "garbage", body)


def test_verify_refuses_every_malformed_header_without_raising():
    body = b'{"type":"page.published"}'
    header = signing.signature_header(SECRET, body, timestamp=1_800_000_000)
    assert signing.verify(SECRET, header, body, now=1_800_000_000) is True
    for hostile in hostile_headers(header):
        assert signing.verify(SECRET, hostile, body, now=1_800_000_000) is False, hostile
    # Nor for what the receiver's own code might pass by mistake.
    assert signing.verify(SECRET, header, body.decode(), now=1_800_000_000) is False
    assert signing.verify(None, header, body, now=1_800_000_000) is False
    assert signing.verify("\ud800", header, body, now=1_800_000_000) is False
    assert signing.verify(SECRET.encode(), header, body, now=1_800_000_000) is True  # bytes too


#: Text with lone surrogates too (st.text() leaves them out).
SURROGATES = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1)
ANYTHING = st.one_of(
    st.text(), SURROGATES, st.binary(), st.none(), st.integers(), st.floats(), st.lists(st.text())
)
HEADERS = st.one_of(
    st.text(),
    # Close to genuine: the right shape with any text in each part.
    st.builds("t={},v1={}".format, st.text(), st.text() | SURROGATES),
    st.builds(
        "t={},v1={}".format, st.integers(), st.from_regex(r"[0-9a-fA-F]{60,68}", fullmatch=True)
    ),
    ANYTHING,
)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(secret=st.one_of(st.text(), st.binary(), ANYTHING), header=HEADERS, body=ANYTHING)
def test_verify_never_raises(secret, header, body):
    assert signing.verify(secret, header, body) in (True, False)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(secret=st.text(min_size=1), body=st.binary(), timestamp=st.integers(0, 10**12 - 1))
def test_verify_accepts_what_signature_header_writes(secret, body, timestamp):
    header = signing.signature_header(secret, body, timestamp=timestamp)
    assert signing.verify(secret, header, body, now=timestamp) is True
