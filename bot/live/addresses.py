"""Which network addresses a live check may connect to: the address half of the SSRF guard.

Pure functions, no sockets. ``bot.live.probe`` asks :func:`refusal` about every address a host
name resolved to (and about an address written in the URL itself) before it opens a connection,
and connects only to an address that passed.

An address is refused when it is not a public unicast address: loopback, private (RFC 1918,
fc00::/7), link-local (169.254.0.0/16, fe80::/10), shared CGNAT space (100.64.0.0/10, RFC 6598),
multicast, unspecified, reserved or otherwise not globally reachable (RFC 6890's special-purpose
registries, as ``ipaddress`` knows them). IPv6 forms that carry an IPv4 address (IPv4-mapped
``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, 6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``) are
judged by the IPv4 address inside. The cloud providers' metadata and platform addresses are refused
whatever the allowance says: no identity provider lives there.

An IPv4 address may also be written the way ``inet_aton`` reads it (``2130706433``, ``0x7f.1``,
``0177.0.0.1``, ``127.1``); :func:`parse_host_address` reads those spellings too, so a URL cannot
slip a loopback address past the guard by spelling it oddly.
"""

from __future__ import annotations

import ipaddress
import re

__all__ = ["Address", "parse_host_address", "refusal", "embedded_ipv4", "METADATA_ADDRESSES"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Instance-metadata and platform endpoints of the big clouds: AWS, GCP, Azure, OCI (169.254.169.254),
#: AWS ECS task metadata (169.254.170.2), AWS IMDS over IPv6 (fd00:ec2::254), Alibaba Cloud
#: (100.100.100.200) and Azure's WireServer (168.63.129.16, a public address used as a host channel).
METADATA_ADDRESSES: frozenset[Address] = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "168.63.129.16",
))

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_RFC1918 = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

# One part of an inet_aton spelling: hexadecimal (0x1f), octal (017) or decimal (17).
_PART = re.compile(r"^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$")


def _part_value(part: str) -> int | None:
    if not _PART.match(part):
        return None
    if part[:2].lower() == "0x":
        return int(part, 16)
    if part.startswith("0"):
        return int(part, 8)
    return int(part)


def _inet_aton(text: str) -> ipaddress.IPv4Address | None:
    """``text`` read as ``inet_aton`` reads it (1 to 4 parts; the last part fills the remaining
    bytes), or None when it is not such a spelling."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = [_part_value(p) for p in parts]
    if any(v is None for v in values):
        return None
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = 0
    for value in head:
        number = number * 256 + value
    number = number * 256 ** (4 - len(head)) + last
    return ipaddress.IPv4Address(number)


def parse_host_address(host: str) -> Address | None:
    """The address a URL's host denotes when it is an address literal (in any spelling), else None.

    ``host`` is the host as a URL parser gives it: brackets already removed from an IPv6 literal.
    A zone (``fe80::1%eth0``) is dropped: the address is judged without it.
    """
    text = host.strip().rstrip(".")
    if not text:
        return None
    if ":" in text:
        try:
            return ipaddress.IPv6Address(text.split("%", 1)[0])
        except ValueError:
            return None
    return _inet_aton(text)


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4 or NAT64), if any."""
    if address.version == 4:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: Address) -> str | None:
    """Why a live check must not connect to ``address`` (a short phrase), or None for a public address.

    The phrase names the class (``"a loopback address"``, ``"a private address (RFC 1918)"``), so a
    finding can say what was refused without anything else.
    """
    inner = embedded_ipv4(address)
    if inner is not None:
        why = refusal(inner)
        return f"{why}, written as the IPv6 address {address}" if why else None
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.version == 4 and address in _CGNAT:
        return "a shared (CGNAT) address (RFC 6598)"
    if address.version == 4 and any(address in network for network in _RFC1918):
        return "a private address (RFC 1918)"
    if address.version == 6 and address in _UNIQUE_LOCAL:
        return "a private address (unique local, fc00::/7)"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "an address that is not publicly routable"
    return None
