"""Compare the redirect URI an app sends with the one registered at the IdP.

RFC 6749 §3.1.2.3 has the authorization server compare the redirect URI in
the request with the registered one, and RFC 6749 §3.1.2 forbids a fragment in
it. Entra ID, Okta and Keycloak compare the two **as strings**: the
equivalences RFC 3986 §6.2 allows (host case, an explicit default port,
percent-encoding case) do not apply. So any character of difference is a
mismatch (AADSTS50011 in Entra, "redirect_uri ... not allowed" in Okta),
which in the product shows up as a 503, a redirect loop, or a sign-in that
passes the metadata test but fails for users.

:func:`check_redirect` names each difference and the character where the two
part; :func:`parse_redirect_pair` finds the pair in free text, and
:func:`check_redirect_text` does both. Pure functions: no network, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from bot.diagnostics.extract import unwrap_slack_links
from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.text import as_text as _as_text, is_invisible as _is_invisible

__all__ = ["check_redirect", "check_redirect_text", "diverge_at", "parse_redirect_pair"]

SUBJECT = "Redirect URI"

REF_RFC6749_REDIRECT = "https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2"
REF_RFC6749_COMPARE = "https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.3"
REF_RFC3986_COMPARE = "https://www.rfc-editor.org/rfc/rfc3986#section-6.2"
REF_ENTRA_REPLY_URL = "https://learn.microsoft.com/en-us/entra/identity-platform/reply-url"

_SNIPPET_RADIUS = 36
_MAX_SHOWN = 300
_DEFAULT_PORTS = {"https": "443", "http": "80"}
_LOOPBACK = {"localhost", "127.0.0.1", "[::1]"}

# RFC 3986 Appendix B, anchored and DOTALL so any string splits in linear time.
_URI_RE = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.DOTALL)
_PCT_RE = re.compile(r"%[0-9a-fA-F]{2}")
_URLISH_RE = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{0,31}://[^\s<>\"'`|]*")

_FIX_REGISTER = (
    "Decide which of the two is right, then make the other identical, character for character.",
    "Entra: App registrations → your app → Authentication → Redirect URIs. Okta: Applications → your app → "
    "General → Sign-in redirect URIs. Keycloak: Clients → your client → Valid redirect URIs.",
    "Or change the redirect/callback URI the product (or your app) sends, if that one is wrong.",
)


def _visible(ch: str) -> str:
    """One display character per input character, so carets stay aligned."""
    if ch == " ":
        return "␠"
    if ch == "\t":
        return "⇥"
    if ch in "\r\n":
        return "↵"
    if _is_invisible(ch) or unicodedata.combining(ch):
        return "¤"
    return ch


def _clip(text: str, limit: int = _MAX_SHOWN) -> str:
    shown = "".join(_visible(ch) for ch in text[: limit + 1])
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


@dataclass(frozen=True)
class _Uri:
    scheme: str | None
    authority: str | None
    host: str
    port: str
    path: str
    query: str | None
    fragment: str | None


def _split(uri: str) -> _Uri:
    match = _URI_RE.match(uri)
    if match is None:  # cannot happen with this pattern; kept for safety
        return _Uri(None, None, "", "", uri, None, None)
    scheme, authority, path, query, fragment = match.groups()
    host, port = "", ""
    if authority is not None:
        hostport = authority.rpartition("@")[2]
        if hostport.startswith("[") and "]" in hostport:
            close = hostport.index("]")
            host, rest = hostport[: close + 1], hostport[close + 1 :]
            port = rest[1:] if rest.startswith(":") else ""
        else:
            head, colon, tail = hostport.rpartition(":")
            host, port = (head, tail) if colon else (hostport, "")
    return _Uri(scheme, authority, host, port, path or "", query, fragment)


def diverge_at(a: str, b: str) -> int | None:
    """1-based position of the first character where ``a`` and ``b`` differ; None when equal."""
    if a == b:
        return None
    limit = min(len(a), len(b))
    for i in range(limit):
        if a[i] != b[i]:
            return i + 1
    return limit + 1


def _snippet(registered: str, sent: str, position: int) -> str:
    """Two aligned lines around the first difference, and a caret under it."""
    index = position - 1
    start = max(0, index - _SNIPPET_RADIUS)
    end = index + _SNIPPET_RADIUS
    labels = ("registered: ", "sent:       ")

    def window(text: str) -> str:
        body = "".join(_visible(ch) for ch in text[start:end])
        return ("…" if start > 0 else "") + body + ("…" if len(text) > end else "")

    caret = " " * (len(labels[0]) + (1 if start > 0 else 0) + (index - start)) + "^"
    return "\n".join((labels[0] + window(registered), labels[1] + window(sent), caret))


def _finding(code: str, title: str, detail: str, facts: dict[str, str], *, severity: Severity = Severity.FAIL,
             fix: tuple[str, ...] = _FIX_REGISTER, refs: tuple[str, ...] = (REF_RFC6749_COMPARE,)) -> Finding:
    return Finding(code=code, severity=severity, title=title, detail=detail, fix=fix, refs=refs, facts=facts)


def check_redirect(registered: Any, sent: Any, *, now: datetime | None = None) -> Report:
    """Compare ``registered`` with ``sent`` exactly, as RFC 6749 §3.1.2.3 and the IdPs do.

    One finding per kind of difference (scheme, host case, localhost vs
    127.0.0.1, www., port, path case, trailing slash, percent-encoding, query,
    fragment, whitespace), plus ``redirect-mismatch`` with ``diverge_at`` (the
    1-based character position where they part) and an aligned snippet. Equal
    strings give ``redirect-match``. ``now`` is accepted for a uniform check
    signature and not used. Never raises.
    """
    try:
        findings = _compare(_as_text(registered), _as_text(sent))
    except Exception:
        findings = [
            Finding(
                code="redirect-unreadable",
                severity=Severity.INFO,
                title="These redirect URIs could not be compared",
                detail="Something in the pasted values stopped the check.",
                fix=_FIX_REGISTER,
            )
        ]
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=("redirect_uri_pair",))


def _compare(registered: str, sent: str) -> list[Finding]:
    facts_base = {"registered": _clip(registered), "sent": _clip(sent)}
    if not registered.strip() or not sent.strip():
        missing = " and ".join(n for n, v in (("registered", registered), ("sent", sent)) if not v.strip())
        return [
            _finding(
                "redirect-missing",
                f"The {missing} redirect URI is empty",
                "Both values are needed: the one registered at the IdP and the one the app sends (the "
                "redirect_uri parameter of the sign-in request, visible in a HAR trace or in the IdP's error).",
                facts_base,
                severity=Severity.INFO,
                fix=("Paste both, e.g. `registered https://app.example.com/callback, app sends https://...`.",),
            )
        ]
    findings: list[Finding] = []
    if registered == sent:
        findings.append(
            _finding(
                "redirect-match",
                "The redirect URIs match exactly",
                "Both strings are identical, character for character, which is what Entra, Okta and Keycloak "
                "require. If sign-in still fails, look at the tenant routing, the client ID and secret, or the "
                "logout URL.",
                {"uri": _clip(registered)},
                severity=Severity.OK,
                fix=(),
            )
        )
        findings.extend(_fragment(_split(registered.strip()), _split(sent.strip()), facts_base))
        return findings

    position = diverge_at(registered, sent)
    assert position is not None
    facts = {**facts_base, "diverge_at": str(position)}
    snippet = _snippet(registered, sent, position)
    findings.append(
        _finding(
            "redirect-mismatch",
            f"The redirect URIs differ from character {position}",
            "The IdP compares the redirect URI as a plain string, so they must be identical. They part here:\n"
            + snippet
            + "\nA mismatch gives AADSTS50011 in Entra or a redirect_uri error in Okta, and in the product a "
            "503, a redirect loop, or a sign-in that passes the metadata test but fails for users.",
            facts,
        )
    )
    findings.extend(_differences(registered, sent, facts))
    return findings


def _whitespace(text: str) -> str:
    parts: list[str] = []
    if text != text.strip() or (text and (_is_invisible(text[0]) or _is_invisible(text[-1]))):
        parts.append("at the ends")
    inner = text.strip()
    if any(_is_invisible(ch) for ch in inner):
        parts.append("inside")
    return " and ".join(parts)


def _strip_all(text: str) -> str:
    out = text.strip()
    while out and _is_invisible(out[0]):
        out = out[1:]
    while out and _is_invisible(out[-1]):
        out = out[:-1]
    return out


def _hex_upper(path: str) -> str:
    return _PCT_RE.sub(lambda m: m.group(0).upper(), path)


def _differences(registered: str, sent: str, facts: dict[str, str]) -> list[Finding]:
    findings: list[Finding] = []
    ws = [(name, _whitespace(value)) for name, value in (("registered", registered), ("sent", sent))]
    ws = [(name, where) for name, where in ws if where]
    if ws:
        findings.append(
            _finding(
                "redirect-whitespace",
                "Spaces or invisible characters in a redirect URI",
                "; ".join(f"the {name} value has them {where}" for name, where in ws)
                + ". They are part of the string the IdP compares, so the URIs no longer match. Invisible "
                "characters (non-breaking or zero-width spaces) often come from copying out of documents or chat.",
                facts,
                fix=("Retype or re-paste the value in the IdP and in the app configuration, with nothing around it.",),
            )
        )
    a_text, b_text = _strip_all(registered), _strip_all(sent)
    a, b = _split(a_text), _split(b_text)

    for name, uri in (("registered", a), ("sent", b)):
        if uri.scheme is None or uri.authority is None:
            findings.append(
                _finding(
                    "redirect-not-absolute",
                    f"The {name} redirect URI is not an absolute URI",
                    "A redirect URI must be absolute, with a scheme and a host (RFC 6749 §3.1.2), e.g. "
                    "https://app.example.com/callback.",
                    {**facts, "which": name},
                    severity=Severity.WARN,
                    refs=(REF_RFC6749_REDIRECT,),
                )
            )
            break

    if (a.scheme or "") != (b.scheme or ""):
        sa, sb = a.scheme or "(none)", b.scheme or "(none)"
        what = " (they differ only in letter case)" if sa.lower() == sb.lower() else ""
        findings.append(
            _finding(
                "redirect-scheme",
                f"Different scheme: {_clip(sa, 20)} vs {_clip(sb, 20)}",
                f"The registered URI uses {_clip(sa, 20)}:// and the app sends {_clip(sb, 20)}://{what}. "
                "A common cause is an app behind a TLS-terminating proxy or load balancer that builds its "
                "callback URL from the plain-http request it receives.",
                {**facts, "registered_scheme": _clip(sa, 20), "sent_scheme": _clip(sb, 20)},
                fix=(
                    "Register and send https:// (Entra allows http only for localhost).",
                    "If a proxy strips TLS, make the app honour X-Forwarded-Proto, or set its public base URL.",
                    *_FIX_REGISTER[1:],
                ),
                refs=(REF_RFC6749_COMPARE, REF_ENTRA_REPLY_URL),
            )
        )

    if a.host != b.host:
        findings.append(_host_difference(a.host, b.host, facts))

    if a.port != b.port:
        pa, pb = a.port or "(none)", b.port or "(none)"
        note = ""
        for port, other, scheme in ((a.port, b.port, a.scheme), (b.port, a.port, b.scheme)):
            default = _DEFAULT_PORTS.get((scheme or "").lower())
            if not other and port == default:
                note = (
                    f" :{default} is the default port for {scheme}, so browsers treat them alike (RFC 3986 §6.2.3), "
                    "but the IdP compares strings and sees a difference."
                )
        findings.append(
            _finding(
                "redirect-port",
                f"Different port: {_clip(pa, 10)} vs {_clip(pb, 10)}",
                f"The registered URI has port {_clip(pa, 10)} and the app sends {_clip(pb, 10)}." + note,
                {**facts, "registered_port": _clip(pa, 10), "sent_port": _clip(pb, 10)},
                refs=(REF_RFC6749_COMPARE, REF_RFC3986_COMPARE),
            )
        )

    findings.extend(_path_difference(a.path, b.path, facts))

    if a.query != b.query:
        qa = "(none)" if a.query is None else "?" + a.query
        qb = "(none)" if b.query is None else "?" + b.query
        findings.append(
            _finding(
                "redirect-query",
                "The query strings differ",
                f"Registered: {_clip(qa, 120)}; sent: {_clip(qb, 120)}. The query is part of the compared string. "
                "Entra accepts a query in a redirect URI only for apps that sign in work or school accounts; "
                "per-request values belong in the state parameter.",
                {**facts, "registered_query": _clip(qa, 120), "sent_query": _clip(qb, 120)},
                refs=(REF_RFC6749_REDIRECT, REF_ENTRA_REPLY_URL),
            )
        )
    findings.extend(_fragment(a, b, facts))
    return findings


def _host_difference(ha: str, hb: str, facts: dict[str, str]) -> Finding:
    facts = {**facts, "registered_host": _clip(ha, 120), "sent_host": _clip(hb, 120)}
    la, lb = ha.lower(), hb.lower()
    if la == lb:
        return _finding(
            "redirect-host-case",
            "The host differs only in letter case",
            f"{_clip(ha, 80)} vs {_clip(hb, 80)}. DNS ignores case (RFC 3986 §3.2.2), but the IdP compares the "
            "string, so this is a mismatch.",
            facts,
            fix=("Use the same lower-case host in both places.", *_FIX_REGISTER[1:]),
            refs=(REF_RFC6749_COMPARE, REF_RFC3986_COMPARE),
        )
    if la in _LOOPBACK and lb in _LOOPBACK:
        return _finding(
            "redirect-localhost-loopback",
            f"{_clip(ha, 20)} vs {_clip(hb, 20)}",
            "Both point at this machine, but they are different strings to the IdP. Entra recommends "
            "127.0.0.1 over localhost for local redirect URIs.",
            facts,
            fix=("Use the same loopback host in the registration and in the app (127.0.0.1 is the safer choice).",
                 *_FIX_REGISTER[1:]),
            refs=(REF_RFC6749_COMPARE, REF_ENTRA_REPLY_URL),
        )
    if la.removeprefix("www.") == lb.removeprefix("www."):
        return _finding(
            "redirect-www",
            "One host has www., the other does not",
            f"{_clip(ha, 80)} vs {_clip(hb, 80)}. They may serve the same site, but they are different hosts "
            "and different strings.",
            facts,
            fix=("Pick one form (usually the one users actually reach) and use it in both places.", *_FIX_REGISTER[1:]),
        )
    return _finding(
        "redirect-host",
        "Different hosts",
        f"{_clip(ha, 80)} vs {_clip(hb, 80)}. The app runs on a different address than the one registered: "
        "another environment (dev vs prod), a proxy or a custom domain.",
        facts,
    )


def _path_difference(pa: str, pb: str, facts: dict[str, str]) -> list[Finding]:
    if pa == pb:
        return []
    findings: list[Finding] = []
    path_facts = {**facts, "registered_path": _clip(pa or "(empty)", 160), "sent_path": _clip(pb or "(empty)", 160)}
    if pa.endswith("/") != pb.endswith("/"):
        with_slash = "registered" if pa.endswith("/") else "sent"
        bare_host = "" if (pa.rstrip("/") or pb.rstrip("/")) else (
            " Note that for a URI with no path, Entra adds the '/' itself when it redirects back (query and "
            "fragment response modes), so the app may see the slash either way."
        )
        findings.append(
            _finding(
                "redirect-trailing-slash",
                f"Trailing slash only in the {with_slash} URI",
                f"'{_clip(pa or '(empty)', 80)}' vs '{_clip(pb or '(empty)', 80)}'. A trailing slash makes a different "
                "string, and the IdP rejects it." + bare_host,
                path_facts,
                fix=("Add or remove the final slash so both are the same.", *_FIX_REGISTER[1:]),
            )
        )
        pa, pb = pa.rstrip("/"), pb.rstrip("/")
    if pa == pb:
        return findings
    ua, ub = _hex_upper(pa), _hex_upper(pb)
    if ua == ub:
        findings.append(_percent(path_facts, "the same escapes written with lower- and upper-case hex digits (%2f vs %2F)"))
        return findings
    da, db = unquote(ua), unquote(ub)
    if da == db:
        findings.append(_percent(path_facts, "one writes a character percent-encoded (such as %2F) where the other has it as is (/)"))
        return findings
    if pa.lower() == pb.lower():
        findings.append(_path_case(pa, pb, path_facts))
        return findings
    if da.lower() == db.lower():
        findings.append(_percent(path_facts, "percent-encoding differs"))
        findings.append(_path_case(pa, pb, path_facts))
        return findings
    findings.append(
        _finding(
            "redirect-path",
            "Different paths",
            f"'{_clip(pa or '(empty)', 100)}' vs '{_clip(pb or '(empty)', 100)}'. The callback path the app "
            "sends is not the one registered.",
            path_facts,
        )
    )
    return findings


def _percent(facts: dict[str, str], what: str) -> Finding:
    return _finding(
        "redirect-percent-encoding",
        "Percent-encoding differs",
        f"The paths decode to the same text but are written differently: {what}. RFC 3986 §6.2.2 treats some of "
        "these as equivalent; the IdP compares the raw string and does not.",
        facts,
        fix=("Copy the exact string the app sends (from the IdP error or a HAR trace) into the registration.",
             *_FIX_REGISTER[1:]),
        refs=(REF_RFC6749_COMPARE, REF_RFC3986_COMPARE),
    )


def _path_case(pa: str, pb: str, facts: dict[str, str]) -> Finding:
    return _finding(
        "redirect-path-case",
        "The path differs in letter case",
        f"'{_clip(pa, 100)}' vs '{_clip(pb, 100)}'. Paths are case-sensitive (RFC 3986 §6.2.2.1), and so is the "
        "IdP's comparison.",
        facts,
        fix=("Use the exact case in both places; copy rather than retype.", *_FIX_REGISTER[1:]),
        refs=(REF_RFC6749_COMPARE, REF_RFC3986_COMPARE),
    )


def _fragment(a: _Uri, b: _Uri, facts: dict[str, str]) -> list[Finding]:
    sides = [name for name, uri in (("registered", a), ("sent", b)) if uri.fragment is not None]
    if not sides:
        return []
    return [
        _finding(
            "redirect-fragment",
            f"A '#' fragment in the {' and '.join(sides)} redirect URI",
            "A redirect URI must not contain a fragment (RFC 6749 §3.1.2), even if both sides agree. The IdP "
            "rejects the registration or the request.",
            {**facts, "which": ", ".join(sides)},
            fix=("Remove everything from the '#' on, in the registration and in the app.",
                 "If the app needs a client-side route, carry it in the state parameter instead."),
            refs=(REF_RFC6749_REDIRECT,),
        )
    ]


# --------------------------------------------------------------------------- free text

_REGISTERED_WORDS = re.compile(
    r"(?i)\b(?:registered|configured|expected|allowed|whitelisted|allow-?listed|in\s+(?:entra|okta|azure|the\s+idp)"
    r"|reply\s+url|redirect\s+uris?\s+list)\b"
)
_SENT_WORDS = re.compile(
    r"(?i)\b(?:sends?|sent|sending|actual(?:ly)?|got|gets|received|requested|request|uses|using|passes|passed"
    r"|app\s+has)\b"
)
_VS_WORDS = re.compile(r"(?i)(?:\bvs\.?|\bversus\b|!=|≠|<>|\bvs\b)")


def _urls(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for match in _URLISH_RE.finditer(text):
        url = match.group(0)
        while url and url[-1] in ".,;:!?)]}'\"":
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if "://" in url and len(url) > url.index("://") + 3:
            out.append((match.start(), match.start() + len(url), url))
    return out


def _parse(text: str) -> tuple[str, str, str] | None:
    """(registered, sent, how) where how is 'labelled', 'vs' or 'order'."""
    text = unwrap_slack_links(text)
    urls = _urls(text)
    if len(urls) < 2:
        return None
    roles: list[str | None] = []
    previous_end = 0
    for start, end, _url in urls:
        gap = text[previous_end:start]
        reg = [m.end() for m in _REGISTERED_WORDS.finditer(gap)]
        snt = [m.end() for m in _SENT_WORDS.finditer(gap)]
        if reg and (not snt or max(reg) > max(snt)):
            roles.append("registered")
        elif snt:
            roles.append("sent")
        else:
            roles.append(None)
        previous_end = end
    first, second = urls[0][2], urls[1][2]
    r0, r1 = roles[0], roles[1]
    if r0 != r1:
        if r0 == "registered" or r1 == "sent":
            return first, second, "labelled"
        if r0 == "sent" or r1 == "registered":
            return second, first, "labelled"
    between = text[urls[0][1] : urls[1][0]]
    if _VS_WORDS.search(between):
        return first, second, "vs"
    return first, second, "order"


def parse_redirect_pair(text: Any) -> tuple[str, str] | None:
    """``(registered, sent)`` found in free text, or None.

    Understands "registered X, app sends Y", "expected: X actual: Y",
    "configured X but got Y", "X vs Y", the same with the roles the other way
    round ("app sends Y but Z is registered"), and otherwise any two URLs, the
    first taken as the registered one (:func:`check_redirect_text` says so).
    """
    try:
        parsed = _parse(_as_text(text))
    except Exception:
        return None
    return None if parsed is None else (parsed[0], parsed[1])


def check_redirect_text(text: Any, *, now: datetime | None = None) -> Report:
    """Find the two redirect URIs in ``text`` and compare them (see :func:`check_redirect`)."""
    try:
        parsed = _parse(_as_text(text))
    except Exception:
        parsed = None
    if parsed is None:
        return Report(
            subject=SUBJECT,
            findings=(
                Finding(
                    code="redirect-pair-not-found",
                    severity=Severity.INFO,
                    title="Two redirect URIs are needed to compare",
                    detail="I could not find two URLs in the text. Give the registered one and the one the app sends.",
                    fix=("For example: `registered https://app.example.com/callback, app sends "
                         "http://app.example.com/callback/`.",),
                    refs=(REF_RFC6749_COMPARE,),
                ),
            ),
            inputs=("redirect_uri_pair",),
        )
    registered, sent, how = parsed
    report = check_redirect(registered, sent, now=now)
    if how == "labelled":
        return report
    note = Finding(
        code="redirect-order-assumed",
        severity=Severity.INFO,
        title="Assumed the first URL is the registered one",
        detail=(
            "The text does not say which URL is registered at the IdP and which one the app sends, so the first "
            "was taken as registered. The differences are the same either way; only the labels would swap."
        ),
        fix=("To be explicit, write `registered <url>, app sends <url>`.",),
        facts={"registered": _clip(registered), "sent": _clip(sent)},
    )
    return Report(subject=report.subject, findings=report.findings + (note,), inputs=report.inputs,
                  secret_seen=report.secret_seen)
