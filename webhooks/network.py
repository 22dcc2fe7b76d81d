"""Outbound requests to endpoints: which addresses may be reached, and one POST to a pinned address.

The host is resolved once and every address it resolves to is checked; the request then goes
to the checked address (the Host header and TLS name stay the URL's), so a second lookup
cannot swap in a private address (docs/operations.md, "Webhooks").
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 5.0
EXCERPT_BYTES = 1000
USER_AGENT = "Redress-Webhooks"


class Refused(Exception):
    """The URL may not be reached: its scheme, or an address it resolves to."""


def address_refusal(address: str) -> str | None:
    """Why an address may not be reached from Redress, or None if it is public."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, name in (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_reserved, "reserved"),
        (ip.is_private, "private"),
        (not ip.is_global, "not public"),
    ):
        if test:
            return f"{address} is a {name} address."
    return None


def url_refusal(url: str, *, require_https: bool) -> str | None:
    """What is wrong with an endpoint URL on its face (scheme, host), before any lookup."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "Use an http or https URL."
    if require_https and parts.scheme != "https":
        return "Use an https URL."
    if not parts.hostname:
        return "The URL has no host."
    if parts.username or parts.password:
        return "Leave credentials out of the URL."
    return None


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to; Refused if the host does not resolve or any address is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"{host} does not resolve.") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise Refused(f"{host} does not resolve.")
    if not allow_private:
        for address in addresses:
            refusal = address_refusal(address)
            if refusal:
                raise Refused(refusal)
    return addresses[0]


@dataclass(frozen=True)
class Outcome:
    """What one POST got: a status and the start of the body, or an error."""

    status_code: int | None
    latency_ms: int
    excerpt: str = ""
    error: str = ""


def post(url: str, body: bytes, headers: dict[str, str], *, allow_private: bool, require_https: bool) -> Outcome:
    """POST the body to the URL at its checked address, with the connect and read timeouts; never raises."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    refusal = url_refusal(url, require_https=require_https)
    if refusal:
        return Outcome(None, 0, error=refusal)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        address = resolve(host, port, allow_private=allow_private)
    except Refused as error:
        return Outcome(None, elapsed(), error=str(error))
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    pool: urllib3.HTTPConnectionPool
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, retries=False, server_hostname=host, assert_hostname=host
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={**headers, "Host": host_header, "Content-Type": "application/json", "User-Agent": USER_AGENT},
            redirect=False,
            preload_content=False,
        )
        try:
            excerpt = response.read(EXCERPT_BYTES, decode_content=True)
        finally:
            response.release_conn()
        return Outcome(response.status, elapsed(), excerpt.decode("utf-8", "replace"))
    except urllib3.exceptions.HTTPError as error:
        return Outcome(None, elapsed(), error=_describe(error))
    finally:
        pool.close()


def _describe(error: Exception) -> str:
    # NewConnectionError is a kind of ConnectTimeoutError in urllib3: ask for it first.
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        return "The connection was refused."
    if isinstance(error, urllib3.exceptions.ConnectTimeoutError):
        return f"No connection within {CONNECT_TIMEOUT:g} s."
    if isinstance(error, urllib3.exceptions.ReadTimeoutError):
        return f"No answer within {READ_TIMEOUT:g} s."
    return f"{type(error).__name__}: {error}"[:500]
