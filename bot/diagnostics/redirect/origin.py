"""The redirect URI comparison, the start of the URI: scheme, host and port.

Each is compared as a string, as the IdPs do; the finding explains when the two would be the same
to a browser (host case, loopback names, a default port) but still differ to the IdP.
"""

from __future__ import annotations

from bot.diagnostics.explain import check_finding
from bot.diagnostics.redirect.shared import Uri, clip
from bot.diagnostics.report import Finding

_DEFAULT_PORTS = {"https": "443", "http": "80"}
_LOOPBACK = {"localhost", "127.0.0.1", "[::1]"}


def origin_differences(a: Uri, b: Uri, facts: dict[str, str]) -> list[Finding]:
    """One finding each for a different scheme, host and port, in that order."""
    findings: list[Finding] = []
    if (a.scheme or "") != (b.scheme or ""):
        findings.append(_scheme(a.scheme or "(none)", b.scheme or "(none)", facts))
    if a.host != b.host:
        findings.append(_host(a.host, b.host, facts))
    if a.port != b.port:
        findings.append(_port(a, b, facts))
    return findings


def _scheme(sa: str, sb: str, facts: dict[str, str]) -> Finding:
    values = {"same_scheme": clip(sa.lower(), 20)} if sa.lower() == sb.lower() else {}
    facts = {**facts, "registered_scheme": clip(sa, 20), "sent_scheme": clip(sb, 20)}
    return check_finding("redirect-scheme", facts, values=values)


def _host(ha: str, hb: str, facts: dict[str, str]) -> Finding:
    """The one finding that says best how the hosts differ: case, loopback name, www., or altogether."""
    facts = {**facts, "registered_host": clip(ha, 120), "sent_host": clip(hb, 120)}
    la, lb = ha.lower(), hb.lower()
    if la == lb:
        return _host_case(facts)
    if la in _LOOPBACK and lb in _LOOPBACK:
        return _loopback(facts)
    if la.removeprefix("www.") == lb.removeprefix("www."):
        return _www(facts)
    return check_finding("redirect-host", facts)


def _host_case(facts: dict[str, str]) -> Finding:
    return check_finding("redirect-host-case", facts)


def _loopback(facts: dict[str, str]) -> Finding:
    return check_finding("redirect-localhost-loopback", facts)


def _www(facts: dict[str, str]) -> Finding:
    return check_finding("redirect-www", facts)


def _port(a: Uri, b: Uri, facts: dict[str, str]) -> Finding:
    pa, pb = a.port or "(none)", b.port or "(none)"
    facts = {**facts, "registered_port": clip(pa, 10), "sent_port": clip(pb, 10)}
    return check_finding("redirect-port", facts, values=_default_port(a, b))


def _default_port(a: Uri, b: Uri) -> dict[str, str]:
    """The default port one side writes out and the other leaves implicit, with its scheme (none: {})."""
    found: dict[str, str] = {}
    for port, other, scheme in ((a.port, b.port, a.scheme), (b.port, a.port, b.scheme)):
        default = _DEFAULT_PORTS.get((scheme or "").lower())
        if not other and port == default:
            found = {"default_port": default, "default_scheme": scheme or ""}
    return found
