"""The redirect URI comparison, the start of the URI: scheme, host and port.

Each is compared as a string, as the IdPs do; the finding explains when the two would be the same
to a browser (host case, loopback names, a default port) but still differ to the IdP.
"""

from __future__ import annotations

from bot.diagnostics.redirect.shared import (FIX_REGISTER, REF_ENTRA_REPLY_URL, REF_RFC3986_COMPARE,
                                             REF_RFC6749_COMPARE, Uri, clip)
from bot.diagnostics.report import Finding, Severity

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
    what = " (they differ only in letter case)" if sa.lower() == sb.lower() else ""
    return Finding(
        code="redirect-scheme",
        severity=Severity.FAIL,
        title=f"Different scheme: {clip(sa, 20)} vs {clip(sb, 20)}",
        detail=f"The registered URI uses {clip(sa, 20)}:// and the app sends {clip(sb, 20)}://{what}. "
        "A common cause is an app behind a TLS-terminating proxy or load balancer that builds its "
        "callback URL from the plain-http request it receives.",
        fix=(
            "Register and send https:// (Entra allows http only for localhost).",
            "If a proxy strips TLS, make the app honour X-Forwarded-Proto, or set its public base URL.",
            *FIX_REGISTER[1:],
        ),
        refs=(REF_RFC6749_COMPARE, REF_ENTRA_REPLY_URL),
        facts={**facts, "registered_scheme": clip(sa, 20), "sent_scheme": clip(sb, 20)},
    )


def _host(ha: str, hb: str, facts: dict[str, str]) -> Finding:
    """The one finding that says best how the hosts differ: case, loopback name, www., or altogether."""
    facts = {**facts, "registered_host": clip(ha, 120), "sent_host": clip(hb, 120)}
    la, lb = ha.lower(), hb.lower()
    if la == lb:
        return _host_case(ha, hb, facts)
    if la in _LOOPBACK and lb in _LOOPBACK:
        return _loopback(ha, hb, facts)
    if la.removeprefix("www.") == lb.removeprefix("www."):
        return _www(ha, hb, facts)
    return Finding(
        code="redirect-host",
        severity=Severity.FAIL,
        title="Different hosts",
        detail=f"{clip(ha, 80)} vs {clip(hb, 80)}. The app runs on a different address than the one registered: "
        "another environment (dev vs prod), a proxy or a custom domain.",
        fix=FIX_REGISTER,
        refs=(REF_RFC6749_COMPARE,),
        facts=facts,
    )


def _host_case(ha: str, hb: str, facts: dict[str, str]) -> Finding:
    return Finding(
        code="redirect-host-case",
        severity=Severity.FAIL,
        title="The host differs only in letter case",
        detail=f"{clip(ha, 80)} vs {clip(hb, 80)}. DNS ignores case (RFC 3986 §3.2.2), but the IdP compares the "
        "string, so this is a mismatch.",
        fix=("Use the same lower-case host in both places.", *FIX_REGISTER[1:]),
        refs=(REF_RFC6749_COMPARE, REF_RFC3986_COMPARE),
        facts=facts,
    )


def _loopback(ha: str, hb: str, facts: dict[str, str]) -> Finding:
    return Finding(
        code="redirect-localhost-loopback",
        severity=Severity.FAIL,
        title=f"{clip(ha, 20)} vs {clip(hb, 20)}",
        detail="Both point at this machine, but they are different strings to the IdP. Entra recommends "
        "127.0.0.1 over localhost for local redirect URIs.",
        fix=("Use the same loopback host in the registration and in the app (127.0.0.1 is the safer choice).",
             *FIX_REGISTER[1:]),
        refs=(REF_RFC6749_COMPARE, REF_ENTRA_REPLY_URL),
        facts=facts,
    )


def _www(ha: str, hb: str, facts: dict[str, str]) -> Finding:
    return Finding(
        code="redirect-www",
        severity=Severity.FAIL,
        title="One host has www., the other does not",
        detail=f"{clip(ha, 80)} vs {clip(hb, 80)}. They may serve the same site, but they are different hosts "
        "and different strings.",
        fix=("Pick one form (usually the one users actually reach) and use it in both places.", *FIX_REGISTER[1:]),
        refs=(REF_RFC6749_COMPARE,),
        facts=facts,
    )


def _port(a: Uri, b: Uri, facts: dict[str, str]) -> Finding:
    pa, pb = a.port or "(none)", b.port or "(none)"
    return Finding(
        code="redirect-port",
        severity=Severity.FAIL,
        title=f"Different port: {clip(pa, 10)} vs {clip(pb, 10)}",
        detail=f"The registered URI has port {clip(pa, 10)} and the app sends {clip(pb, 10)}."
        + _default_port_note(a, b),
        fix=FIX_REGISTER,
        refs=(REF_RFC6749_COMPARE, REF_RFC3986_COMPARE),
        facts={**facts, "registered_port": clip(pa, 10), "sent_port": clip(pb, 10)},
    )


def _default_port_note(a: Uri, b: Uri) -> str:
    """Why an explicit default port on one side only still matters ("" when that is not the case)."""
    note = ""
    for port, other, scheme in ((a.port, b.port, a.scheme), (b.port, a.port, b.scheme)):
        default = _DEFAULT_PORTS.get((scheme or "").lower())
        if not other and port == default:
            note = (
                f" :{default} is the default port for {scheme}, so browsers treat them alike (RFC 3986 §6.2.3), "
                "but the IdP compares strings and sees a difference."
            )
    return note
