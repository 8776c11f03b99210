"""What the SSRF guard allows: the admin's allowance (``SSO_BOT_PROBE_ALLOW``) and the limits of a probe.

Pure data, no sockets. ``bot.live.probe`` enforces it; ``bot.settings`` parses the variable with
:func:`parse_allowance` so a bad value fails at start-up with the variable's name.

``SSO_BOT_PROBE_ALLOW`` is a comma-separated list of host names (``idp.corp.example``) and
addresses or CIDR networks (``10.20.0.0/16``, ``127.0.0.1``, ``fd12:3456::/48``). A listed host
name may resolve to a non-public address, and a non-public address inside a listed network may be
reached, in both cases over plain http too. Nothing unlocks a cloud metadata address.
"""

from __future__ import annotations

import ipaddress
import re
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Sequence

from bot.live.addresses import METADATA_ADDRESSES, Address

__all__ = ["Allowance", "ProbePolicy", "AllowanceError", "parse_allowance", "DEADLINE_SECONDS", "MAX_BYTES",
           "MAX_REDIRECTS"]

DEADLINE_SECONDS = 10.0  # for one request, its redirects and its body together
MAX_BYTES = 1_000_000  # of response body; reading stops past it
MAX_REDIRECTS = 3

_HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AllowanceError(ValueError):
    """An entry of the allowance is neither a host name nor an address or network."""


@dataclass(frozen=True)
class Allowance:
    """Hosts and networks the admin lets live checks reach although they are not public."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    def allows_host(self, host: str) -> bool:
        return _host_key(host) in self.hosts

    def allows_address(self, address: Address) -> bool:
        if address in METADATA_ADDRESSES:
            return False
        return any(address.version == net.version and address in net for net in self.networks)

    def __bool__(self) -> bool:
        return bool(self.hosts or self.networks)


def _host_key(host: str) -> str:
    return host.strip().rstrip(".").lower()


def parse_allowance(text: str | Sequence[str] | None) -> Allowance:
    """``"idp.corp.example, 10.0.0.0/8, 127.0.0.1"`` as an :class:`Allowance`; raises AllowanceError
    naming the first entry that is neither a host name nor an address or network."""
    if text is None:
        return Allowance()
    items = text.split(",") if isinstance(text, str) else list(text)
    hosts: set[str] = set()
    networks: list[Network] = []
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item.strip("[]"), strict=False))
            continue
        except ValueError:
            pass
        key = _host_key(item)
        if not _HOST_NAME.match(key):
            raise AllowanceError(f"{item[:80]!r} is neither a host name nor an address or network (CIDR)")
        hosts.add(key)
    return Allowance(frozenset(hosts), tuple(networks))


#: ``(host, port) -> [address, ...]``: how a host name becomes addresses (the system's by default).
Resolver = Callable[[str, int], Sequence[str]]


@dataclass(frozen=True)
class ProbePolicy:
    """The limits of one live check's requests.

    ``resolver`` replaces the system's name resolution (tests map names to loopback with it, so no
    query leaves the machine); ``ssl_context`` or ``ca_file`` replace the system's trusted roots (a
    self-hosted IdP with an internal CA, or the tests' CA). ``clock`` reads the time a response
    arrived, for the clock-skew check.
    """

    allow: Allowance = field(default_factory=Allowance)
    deadline: float = DEADLINE_SECONDS
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    ca_file: str | None = None
    ssl_context: ssl.SSLContext | None = None
    resolver: Resolver | None = None
    clock: Callable[[], datetime] | None = None
