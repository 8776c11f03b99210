"""The SCIM URL check, step 2: the scheme and the host.

The URL must start with ``https://`` (Entra and Okta refuse anything else for provisioning), carry
no credentials before the host, and name a host that is valid (RFC 1035 labels, a real port) and
reachable from the IdP's cloud (not a private address or a local name).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from bot.diagnostics.scim.shared import SCHEME_RE, Problem, clip, problem

_LABEL_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?")


@dataclass
class Parts:
    """The URL after its scheme, taken apart (RFC 3986 §3): ``path`` keeps its slashes as pasted."""

    authority: str
    userinfo: str
    host: str
    port: str
    path: str
    query: str | None
    fragment: str | None


def read_scheme(s: str, placeholders: list[str], problems: list[Problem]) -> tuple[str, str]:
    """(the scheme as pasted, "" when there is none; the rest of the URL after it)."""
    match = SCHEME_RE.match(s)
    # "app.example.com:8443/..." reads like a scheme followed by ':'; digits after the colon make it a port.
    host_port_only = bool(match) and not match.group(2) and re.match(r"\d{1,5}(?:[/?#]|$)", s[match.end() :] or "")
    if match and not host_port_only and (match.group(2) or match.group(1).lower() in ("http", "https")):
        pasted, slashes, rest = match.group(1), match.group(2), s[match.end() :]
        _not_https(pasted, problems)
        if len(slashes) != 2:
            problems.append(problem("scim-url-scheme-slashes", values={"scheme": clip(pasted, 32), "count": str(len(slashes))}))
            if len(slashes) >= 3 and rest.lower().startswith(("auth/", "realms/")):
                rest = "/" + rest  # "https:///auth/..." : the host is simply missing
        return pasted, rest
    if any(s.startswith(p) for p in placeholders):
        return "", s  # "{environment_base_url}/auth/...": the placeholder finding says it all
    problems.append(problem("scim-url-no-scheme"))
    return "", s[2:] if s.startswith("//") else s


def _not_https(pasted: str, problems: list[Problem]) -> None:
    if pasted.lower() == "http":
        problems.append(problem("scim-url-not-https", {"scheme": "http"}))
    elif pasted.lower() != "https":
        problems.append(problem("scim-url-not-https", {"scheme": clip(pasted, 32)}))


def split_url(rest: str) -> Parts:
    """Authority, path, query and fragment of what follows the scheme."""
    fragment = None
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
    query = None
    if "?" in rest:
        rest, query = rest.split("?", 1)
    slash = rest.find("/")
    authority, path = (rest, "") if slash == -1 else (rest[:slash], rest[slash:])
    userinfo, host, port = split_authority(authority)
    return Parts(authority, userinfo, host, port, path, query, fragment)


def split_authority(authority: str) -> tuple[str, str, str]:
    """(userinfo, host, port) from an authority (RFC 3986 §3.2)."""
    userinfo, at, hostport = authority.rpartition("@")
    if not at:
        userinfo, hostport = "", authority
    if hostport.startswith("["):
        close = hostport.find("]")
        if close != -1:
            host, rest = hostport[: close + 1], hostport[close + 1 :]
            return userinfo, host, rest[1:] if rest.startswith(":") else rest
        return userinfo, hostport, ""
    host, colon, port = hostport.rpartition(":")
    if not colon:
        return userinfo, hostport, ""
    return userinfo, host, port


def check_userinfo(parts: Parts, problems: list[Problem]) -> None:
    if parts.userinfo:
        problems.append(problem("scim-url-userinfo"))


def check_host(parts: Parts, placeholders: list[str], problems: list[Problem]) -> bool:
    """Whether the host can be used (in the corrected URL, and to find the environment)."""
    authority, name = parts.authority, parts.host
    if not name:
        problems.append(_no_host())
        return False
    if any(p in authority for p in placeholders) or "{" in authority or "<" in authority:
        return False  # a placeholder for the host: reported as such
    trouble = _host_problem(name, parts.port)
    if trouble is None:
        return True
    kind, reason = trouble
    if kind == "bad":
        problems.append(_bad_host(name, reason))
        return False
    problems.append(_host_not_public(name, reason))
    return True


def _no_host() -> Problem:
    return problem("scim-url-no-host", structural=False)


def _bad_host(name: str, reason: str) -> Problem:
    return problem("scim-url-bad-host", {"host": clip(name, 120), "reason": reason}, structural=False)


def _host_not_public(name: str, reason: str) -> Problem:
    return problem("scim-url-host-not-public", {"host": clip(name, 120)}, values={"reason": reason}, structural=False)


def _host_problem(host: str, port: str) -> tuple[str, str] | None:
    """(severity-kind, reason) when ``host`` is unusable: kind 'bad' or 'private'."""
    if port and (not port.isdigit() or not 0 < int(port) <= 65535):
        return "bad", f"the port '{clip(port, 20)}' is not a number from 1 to 65535"
    bracketed = host.startswith("[")
    try:
        address = ipaddress.ip_address(host.strip("[]") if bracketed else host)
    except ValueError:
        if bracketed:
            return "bad", "the bracketed address is not a valid IPv6 address"
        return _name_problem(host)
    return ("private", "it is a private or loopback address") if not address.is_global else None


def _name_problem(host: str) -> tuple[str, str] | None:
    """What is wrong with a host name (RFC 1035 labels, IDNA), or that only a local network knows it."""
    name = host[:-1] if host.endswith(".") else host
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except (UnicodeError, ValueError):
            return "bad", "it has characters that are not allowed in a host name"
    if len(name) > 253:
        return "bad", "it is longer than 253 characters"
    labels = name.split(".")
    for label in labels:
        if not label:
            return "bad", "it has an empty label (two dots in a row, or a leading dot)"
        if "_" in label:
            return "bad", "it contains an underscore"
        if len(label) > 63:
            return "bad", "a label is longer than 63 characters"
        if not _LABEL_RE.fullmatch(label):
            return "bad", "a label has characters other than letters, digits and inner hyphens"
    lowered = name.lower()
    if len(labels) == 1 or lowered == "localhost" or lowered.endswith((".localhost", ".local", ".internal", ".lan")):
        return "private", "it is a local name that cloud IdPs cannot resolve"
    return None
