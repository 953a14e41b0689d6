"""Which targets a delivery may be sent to.

A webhook URL is typed by an admin user, but the request comes from the server:
without a check it could reach what only the server can (the cloud's metadata
service at 169.254.169.254, a database port on 127.0.0.1, an intranet host).
So only http and https URLs are taken, and every address the host name resolves
to must be public, unless it lies in ``PRISM_NEWS["WEBHOOK_ALLOWED_NETWORKS"]``.
The client then connects to one of exactly those addresses (``client``), so a
name cannot resolve to a public address for the check and a private one for
the request.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from ..conf import get_settings


class UnsafeTarget(ValueError):
    """The URL may not be called; the message says why (in the active language)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    addresses: tuple  # the checked IP addresses, as strings


def allowed_networks():
    return [
        ipaddress.ip_network(network, strict=False)
        for network in get_settings()["WEBHOOK_ALLOWED_NETWORKS"]
    ]


#: IPv6 prefixes that carry an IPv4 address in their last 32 bits: IPv4-translated
#: (SIIT), IPv4-compatible (deprecated) and the well-known NAT64 prefix. (IPv4-mapped
#: addresses, ::ffff:0:0/96, are IPv4 addresses outright: see ``as_ipv4``.)
_LAST_32_BITS = tuple(
    ipaddress.ip_network(prefix) for prefix in ("::ffff:0:0:0/96", "::/96", "64:ff9b::/96")
)
#: Prefixes that embed IPv4 where the address alone does not say (local-use NAT64,
#: RFC 8215, places it by the operator's prefix length) or that are never public
#: (Teredo; 6to4, deprecated by RFC 7526, which Python 3.13 counts as private and
#: 3.11 as global: refusing it keeps one rule on every Python): refused whatever they carry.
_NEVER_PUBLIC = tuple(
    ipaddress.ip_network(prefix) for prefix in ("64:ff9b:1::/48", "2001::/32", "2002::/16")
)


def as_ipv4(ip):
    """An IPv4-mapped IPv6 address (``::ffff:127.0.0.1``) as the IPv4 address it is (a
    socket connects to that very address); any other address as it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def embedded_ipv4(ip):
    """The IPv4 address an IPv6 address carries on the way to it (NAT64, 6to4,
    IPv4-compatible, IPv4-translated), or ``None``."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in prefix for prefix in _LAST_32_BITS):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _globally_reachable(ip):
    return ip.is_global and not ip.is_multicast


def is_public(address):
    """True for an address on the public internet (not loopback, private, link-local,
    multicast, reserved or unspecified).

    IPv4 written in IPv6 is judged as that IPv4 address: mapped outright, and the
    NAT64, 6to4, IPv4-compatible and IPv4-translated forms (which reach it through
    a translator or relay) only if it is public and so is the IPv6 address itself.
    Teredo and local-use NAT64 addresses are never public.
    """
    ip = as_ipv4(ipaddress.ip_address(address))
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in prefix for prefix in _NEVER_PUBLIC):
            return False
        embedded = embedded_ipv4(ip)
        if embedded is not None and not _globally_reachable(embedded):
            return False
    return _globally_reachable(ip)


def address_allowed(address, networks=None):
    """Public, or in one of ``networks`` (WEBHOOK_ALLOWED_NETWORKS by default).

    An IPv4-mapped address is its IPv4 address, so ``127.0.0.1/32`` allows
    ``::ffff:127.0.0.1`` too. The other IPv6 forms of an IPv4 address are other
    addresses (a NAT64 gateway or 6to4 relay stands between): an allowed IPv4
    network does not open them; list the IPv6 network itself to allow those.
    """
    ip = as_ipv4(ipaddress.ip_address(address))
    if is_public(ip):
        return True
    networks = allowed_networks() if networks is None else networks
    return any(ip.version == network.version and ip in network for network in networks)


def _literal_address(host):
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url, *, resolve=True):
    """The :class:`Target` for ``url``, or :class:`UnsafeTarget`.

    With ``resolve=False`` (when an admin saves an endpoint) only what the URL
    itself shows is checked: the scheme, credentials, a literal address or a
    ``localhost`` name. Deliveries resolve the name and check every address.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeTarget(_("Enter a valid URL.")) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeTarget(_("Only http and https URLs can receive webhooks."))
    if parts.username or parts.password:
        raise UnsafeTarget(
            _("Do not put credentials in the URL: deliveries are signed with the secret instead.")
        )
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeTarget(_("The URL has no host name."))
    port = port or (443 if scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    networks = allowed_networks()
    literal = _literal_address(host)
    if literal is not None:
        addresses = [str(literal)]
    elif host == "localhost" or host.endswith(".localhost"):
        addresses = ["127.0.0.1", "::1"]
    elif not resolve:
        addresses = []
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise LookupError(
                _("The host name %(host)s could not be resolved: %(error)s")
                % {"host": host, "error": error}
            ) from error
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
    refused = [a for a in addresses if not address_allowed(a, networks)]
    if refused:
        raise UnsafeTarget(
            _(
                "%(host)s is a private, loopback or link-local address (%(addresses)s); "
                "webhooks go to public addresses only, unless the address is in "
                "PRISM_NEWS['WEBHOOK_ALLOWED_NETWORKS']."
            )
            % {"host": host, "addresses": ", ".join(refused)}
        )
    return Target(scheme, host, port, path, tuple(addresses))
