"""The SSRF guard: the one place where sso-bot opens an outbound HTTP connection for a live check.

Every request a live check makes goes through :meth:`Probe.get`, and only GET exists here. For the
URL and again for every redirect (at most three), before any socket is opened:

1. the URL must be https; plain http only for a host or network the admin allows
   (``SSO_BOT_PROBE_ALLOW``);
2. the host is resolved once (an address written in the URL, in any spelling, is read directly);
3. every address it resolved to must be public (``bot.live.addresses.refusal``), unless the
   allowance covers the host or the address; cloud metadata addresses never pass;
4. the connection goes to an address that was checked, and to nothing else: the transport below
   dials that address itself, with no second lookup, while the Host header, TLS SNI and certificate
   verification still use the name from the URL.

One deadline (10 s) covers the lookups, connections, redirects and the body of a request; every
socket read and write is capped by what is left of it. Bodies are read as a stream and reading stops
past 1 MB; compressed bodies are inflated only up to that limit too. Environment proxies and
``.netrc`` are ignored (a proxy would make the pinned address meaningless). Request headers are not
kept anywhere, and a redirect never carries the ``Authorization`` header on.
"""

from __future__ import annotations

import concurrent.futures
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator, Mapping, Sequence
from urllib.parse import urljoin

import certifi
import httpcore
import httpx

from bot.live.addresses import METADATA_ADDRESSES, Address, parse_host_address, refusal
from bot.live.exchange import Exchange, Failure, Hop
from bot.live.policy import ProbePolicy

__all__ = ["Probe", "OnlyGet"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_KEPT_HEADERS = ("content-type", "content-length", "content-encoding", "location", "retry-after", "date",
                 "www-authenticate", "server", "cache-control", "expires")
_DROPPED_ON_REDIRECT = ("authorization", "cookie")

# OpenSSL's verify codes (X509_V_ERR_*) for the certificate problems admins meet most.
_TLS_VERIFY_KINDS = {
    7: "tls-untrusted",  # CERT_SIGNATURE_FAILURE: signed by another key than the trusted CA of that name
    9: "tls-not-yet-valid",  # CERT_NOT_YET_VALID
    10: "tls-expired",  # CERT_HAS_EXPIRED
    18: "tls-self-signed",  # DEPTH_ZERO_SELF_SIGNED_CERT
    19: "tls-self-signed",  # SELF_SIGNED_CERT_IN_CHAIN
    20: "tls-untrusted",  # UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    21: "tls-untrusted",  # UNABLE_TO_VERIFY_LEAF_SIGNATURE
    62: "tls-hostname",  # HOSTNAME_MISMATCH
    64: "tls-hostname",  # IP_ADDRESS_MISMATCH
}


class OnlyGet(RuntimeError):
    """Something tried to send a request other than GET, or to a host that was not checked."""


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds
        self.seconds = seconds

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def cap(self, timeout: float | None, error: type[Exception]) -> float:
        left = self.remaining()
        if left <= 0:
            raise error(f"the {self.seconds:g}-second deadline passed")
        return left if timeout is None else min(timeout, left)


@dataclass(frozen=True)
class _Target:
    url: httpx.URL
    host: str
    addresses: tuple[str, ...]


class Probe:
    """Read-only HTTP for live checks, behind the guard described in the module docstring."""

    def __init__(self, policy: ProbePolicy | None = None) -> None:
        self.policy = policy or ProbePolicy()
        self._ssl = self.policy.ssl_context or ssl.create_default_context(cafile=self.policy.ca_file or certifi.where())

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Exchange:
        """GET ``url`` (following up to three redirects, each checked like the first) and return what came
        back, or why nothing did. Never raises for a network problem: it is in ``Exchange.failure``."""
        deadline = _Deadline(self.policy.deadline)
        sent = {k: v for k, v in (headers or {}).items()}
        sent["accept-encoding"] = "gzip, deflate"  # never br or zstd: we inflate within the byte limit
        hops: list[Hop] = []
        current = url
        for _ in range(self.policy.max_redirects + 1):
            target = self._admit(current, deadline)
            if isinstance(target, Failure):
                return Exchange(url=url, final_url=current, redirects=tuple(hops), failure=target)
            exchange = self._send(url, target, sent, deadline)
            location = exchange.header("location")
            if exchange.status not in _REDIRECTS or not location:
                return Exchange(url=url, final_url=current, status=exchange.status, headers=exchange.headers,
                                body=exchange.body, truncated=exchange.truncated, redirects=tuple(hops),
                                failure=exchange.failure, received_at=exchange.received_at,
                                address=exchange.address)
            hops.append(Hop(current, exchange.status, location))
            current = urljoin(current, location)
            sent = {k: v for k, v in sent.items() if k.lower() not in _DROPPED_ON_REDIRECT}
        return Exchange(url=url, final_url=current, redirects=tuple(hops),
                        failure=Failure("redirects", f"more than {self.policy.max_redirects} redirects"))

    # ------------------------------------------------------------------ the guard

    def _admit(self, url: str, deadline: _Deadline) -> _Target | Failure:
        """The checked target for ``url``, or the refusal. Opens no socket (a name lookup at most)."""
        try:
            parsed = httpx.URL(url)
            host = parsed.raw_host.decode("ascii").strip("[]").lower()
        except (httpx.InvalidURL, UnicodeError, ValueError, TypeError):
            return Failure("bad-url", "the URL cannot be read")
        if parsed.scheme not in ("https", "http") or not host:
            return Failure("bad-url", "only https:// URLs (or http:// where allowed) can be checked")
        if parsed.userinfo:
            return Failure("bad-url", "the URL carries a user name or password", host=host)
        allow = self.policy.allow
        named = allow.allows_host(host)
        if parsed.scheme == "http" and not (named or allow.networks):
            return Failure("scheme", "plain http is refused unless SSO_BOT_PROBE_ALLOW lists the host", host=host)
        literal = parse_host_address(host)
        if literal is not None:
            addresses: list[Address] = [literal]
        else:
            resolved = self._resolve(host, parsed.port or (443 if parsed.scheme == "https" else 80), deadline)
            if isinstance(resolved, Failure):
                return resolved
            addresses = resolved
        for address in addresses:
            why = refusal(address)
            if address in METADATA_ADDRESSES or (why and not (named or allow.allows_address(address))):
                return Failure("refused", f"{host} is {why}" if literal is None else f"it is {why}",
                               host=host, address=str(address))
        if parsed.scheme == "http" and not (named or all(allow.allows_address(a) for a in addresses)):
            return Failure("scheme", "plain http is refused unless SSO_BOT_PROBE_ALLOW lists the host", host=host)
        return _Target(parsed, host, tuple(str(a) for a in addresses))

    def _resolve(self, host: str, port: int, deadline: _Deadline) -> list[Address] | Failure:
        """The host's addresses, looked up once, within the deadline."""
        resolver = self.policy.resolver or _system_resolver
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        try:
            answers = pool.submit(resolver, host, port).result(timeout=max(deadline.remaining(), 0.0))
        except concurrent.futures.TimeoutError:
            return Failure("timeout", "the name lookup did not finish in time", host=host)
        except (OSError, UnicodeError, ValueError):
            return Failure("dns", "the name does not resolve", host=host)
        finally:
            pool.shutdown(wait=False)
        addresses: list[Address] = []
        for answer in answers:
            address = parse_host_address(str(answer))
            if address is not None and address not in addresses:
                addresses.append(address)
        if not addresses:
            return Failure("dns", "the name has no address", host=host)
        return addresses

    # ------------------------------------------------------------------ the request

    def _send(self, url: str, target: _Target, headers: Mapping[str, str], deadline: _Deadline) -> Exchange:
        transport = _PinnedTransport(target.host, target.addresses, self._ssl, deadline)
        try:
            with httpx.Client(transport=transport, trust_env=False, follow_redirects=False,
                              timeout=httpx.Timeout(max(deadline.remaining(), 0.001))) as client:
                with client.stream("GET", target.url, headers=dict(headers)) as response:
                    received = self.policy.clock() if self.policy.clock else datetime.now(timezone.utc)
                    body, truncated = _read_capped(response, self.policy.max_bytes, deadline)
                    kept = {name: ", ".join(response.headers.get_list(name)) for name in _KEPT_HEADERS
                            if name in response.headers}
                    return Exchange(url=url, final_url=str(target.url), status=response.status_code, headers=kept,
                                    body=body, truncated=truncated, received_at=received,
                                    address=transport.connected_to)
        except OnlyGet:
            raise
        except Exception as error:  # every network problem becomes a Failure; its class says which
            return Exchange(url=url, final_url=str(target.url), failure=_failure(error, target.host),
                            address=transport.connected_to)


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def _read_capped(response: httpx.Response, limit: int, deadline: _Deadline) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of the body, inflating gzip/deflate no further than that."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    inflater = zlib.decompressobj(wbits=47) if encoding in ("gzip", "x-gzip", "deflate") else None
    out = bytearray()
    for chunk in response.iter_raw():
        deadline.cap(None, httpcore.ReadTimeout)
        if inflater is not None:
            chunk = inflater.decompress(chunk, limit + 1 - len(out))
        out += chunk
        if len(out) > limit:
            return bytes(out[:limit]), True
    return bytes(out), False


def _failure(error: BaseException, host: str) -> Failure:
    """The kind of network problem behind ``error`` (an httpx or httpcore exception and its causes)."""
    chain: list[BaseException] = []
    seen: BaseException | None = error
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    for item in chain:
        if isinstance(item, ssl.SSLCertVerificationError):
            kind = _TLS_VERIFY_KINDS.get(item.verify_code, "tls")
            return Failure(kind, f"certificate verification failed: {item.verify_message}"[:160], host=host)
    for item in chain:
        if isinstance(item, ssl.SSLError):
            return Failure("tls", f"the TLS handshake failed ({item.reason or 'no reason given'})"[:160], host=host)
    if any(isinstance(item, (httpcore.TimeoutException, httpx.TimeoutException, TimeoutError)) for item in chain):
        return Failure("timeout", "no complete answer within the deadline", host=host)
    if any(isinstance(item, (httpcore.ConnectError, httpx.ConnectError, ConnectionError)) for item in chain):
        return Failure("connect", "the connection was refused or dropped", host=host)
    if any(isinstance(item, (httpcore.ProtocolError, httpx.ProtocolError)) for item in chain):
        return Failure("protocol", "the answer was not valid HTTP", host=host)
    return Failure("network", f"{type(error).__name__}", host=host)


# ---------------------------------------------------------------------- the pinned transport


class _PinnedTransport(httpx.BaseTransport):
    """An httpx transport that sends GET only, only to the checked host, over a connection to one of
    the checked addresses (see _PinnedBackend)."""

    def __init__(self, host: str, addresses: Sequence[str], ssl_context: ssl.SSLContext, deadline: _Deadline):
        self._host = host
        self._backend = _PinnedBackend(host, addresses, deadline)
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=self._backend,
                                             max_connections=1, retries=0, http1=True, http2=False)

    @property
    def connected_to(self) -> str:
        return self._backend.connected_to

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET":
            raise OnlyGet(f"live checks send GET only, not {request.method}")
        if request.url.raw_host.decode("ascii").strip("[]").lower() != self._host:
            raise OnlyGet("the request is not for the host that was checked")
        core = httpcore.Request(
            method=b"GET",
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port,
                             target=request.url.raw_path),
            headers=request.headers.raw,
            extensions={"timeout": request.extensions.get("timeout", {})},
        )
        answer = self._pool.handle_request(core)
        return httpx.Response(status_code=answer.status, headers=answer.headers, stream=_Body(answer),
                              extensions=answer.extensions)

    def close(self) -> None:
        self._pool.close()


class _Body(httpx.SyncByteStream):
    def __init__(self, answer: httpcore.Response) -> None:
        self._answer = answer

    def __iter__(self) -> Iterator[bytes]:
        yield from self._answer.iter_stream()

    def close(self) -> None:
        self._answer.close()


class _PinnedBackend(httpcore.NetworkBackend):
    """Dials the checked addresses, never the name: httpcore hands over the URL's host, which must be
    the checked one, and the connection goes to the first checked address that answers."""

    def __init__(self, host: str, addresses: Sequence[str], deadline: _Deadline) -> None:
        self._host = host
        self._addresses = tuple(addresses)
        self._deadline = deadline
        self._inner = httpcore.SyncBackend()
        self.connected_to = ""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> httpcore.NetworkStream:
        if host.strip("[]").lower() != self._host:
            raise OnlyGet("the connection is not for the host that was checked")
        last: Exception = httpcore.ConnectError("no address to connect to")
        for address in self._addresses:
            try:
                stream = self._inner.connect_tcp(address, port, timeout=self._deadline.cap(timeout, httpcore.ConnectTimeout),
                                                 socket_options=socket_options)
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as error:
                last = error
                continue
            self.connected_to = address
            return _DeadlineStream(stream, self._deadline)
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):
        raise OnlyGet("live checks do not use local sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.cap(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.cap(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(ssl_context, server_hostname, self._deadline.cap(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)
