"""The redirect URI comparison: an empty side, an exact match, or a mismatch with each of its causes.

A mismatch is reported once with the character where the two strings part (``diverge_at``) and an
aligned snippet, then once per kind of difference, in the order a reader checks a URI: stray
whitespace, a relative URI, then scheme, host and port (origin), then path, query and
fragment (path).
"""

from __future__ import annotations

from bot.diagnostics.redirect.origin import origin_differences
from bot.diagnostics.redirect.path import fragment_findings, path_differences, query_differences
from bot.diagnostics.redirect.shared import (FIX_REGISTER, REF_RFC6749_COMPARE, REF_RFC6749_REDIRECT, Uri, clip,
                                             split_uri, visible)
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.text import is_invisible

_SNIPPET_RADIUS = 36


def diverge_at(a: str, b: str) -> int | None:
    """1-based position of the first character where ``a`` and ``b`` differ; None when equal."""
    if a == b:
        return None
    limit = min(len(a), len(b))
    for i in range(limit):
        if a[i] != b[i]:
            return i + 1
    return limit + 1


def compare(registered: str, sent: str) -> list[Finding]:
    """Every finding about the pair, most telling first."""
    facts_base = {"registered": clip(registered), "sent": clip(sent)}
    if not registered.strip() or not sent.strip():
        return [_missing(registered, sent, facts_base)]
    if registered == sent:
        # Equal strings still fail at the IdP if they carry a fragment (RFC 6749 §3.1.2).
        fragments = fragment_findings(split_uri(registered.strip()), split_uri(sent.strip()), facts_base)
        return [_match(registered), *fragments]
    position = diverge_at(registered, sent)
    assert position is not None
    facts = {**facts_base, "diverge_at": str(position)}
    return [_mismatch(registered, sent, position, facts), *_differences(registered, sent, facts)]


def _missing(registered: str, sent: str, facts: dict[str, str]) -> Finding:
    missing = " and ".join(n for n, v in (("registered", registered), ("sent", sent)) if not v.strip())
    return Finding(
        code="redirect-missing",
        severity=Severity.INFO,
        title=f"The {missing} redirect URI is empty",
        detail="Both values are needed: the one registered at the IdP and the one the app sends (the "
        "redirect_uri parameter of the sign-in request, visible in a HAR trace or in the IdP's error).",
        fix=("Paste both, e.g. `registered https://app.example.com/callback, app sends https://...`.",),
        refs=(REF_RFC6749_COMPARE,),
        facts=facts,
    )


def _match(uri: str) -> Finding:
    return Finding(
        code="redirect-match",
        severity=Severity.OK,
        title="The redirect URIs match exactly",
        detail="Both strings are identical, character for character, which is what Entra, Okta and Keycloak "
        "require. If sign-in still fails, look at the tenant routing, the client ID and secret, or the "
        "logout URL.",
        fix=(),
        refs=(REF_RFC6749_COMPARE,),
        facts={"uri": clip(uri)},
    )


def _mismatch(registered: str, sent: str, position: int, facts: dict[str, str]) -> Finding:
    return Finding(
        code="redirect-mismatch",
        severity=Severity.FAIL,
        title=f"The redirect URIs differ from character {position}",
        detail="The IdP compares the redirect URI as a plain string, so they must be identical. They part here:\n"
        + _snippet(registered, sent, position)
        + "\nA mismatch gives AADSTS50011 in Entra or a redirect_uri error in Okta, and in the product a "
        "503, a redirect loop, or a sign-in that passes the metadata test but fails for users.",
        fix=FIX_REGISTER,
        refs=(REF_RFC6749_COMPARE,),
        facts=facts,
    )


def _snippet(registered: str, sent: str, position: int) -> str:
    """Two aligned lines around the first difference, and a caret under it."""
    index = position - 1
    start = max(0, index - _SNIPPET_RADIUS)
    end = index + _SNIPPET_RADIUS
    labels = ("registered: ", "sent:       ")

    def window(text: str) -> str:
        body = "".join(visible(ch) for ch in text[start:end])
        return ("…" if start > 0 else "") + body + ("…" if len(text) > end else "")

    caret = " " * (len(labels[0]) + (1 if start > 0 else 0) + (index - start)) + "^"
    return "\n".join((labels[0] + window(registered), labels[1] + window(sent), caret))


def _differences(registered: str, sent: str, facts: dict[str, str]) -> list[Finding]:
    """One finding per kind of difference; the URIs are taken apart without the whitespace around them."""
    findings = _whitespace_findings(registered, sent, facts)
    a, b = split_uri(_strip_all(registered)), split_uri(_strip_all(sent))
    findings.extend(_not_absolute(a, b, facts))
    findings.extend(origin_differences(a, b, facts))
    findings.extend(path_differences(a.path, b.path, facts))
    findings.extend(query_differences(a, b, facts))
    findings.extend(fragment_findings(a, b, facts))
    return findings


def _whitespace_findings(registered: str, sent: str, facts: dict[str, str]) -> list[Finding]:
    ws = [(name, _whitespace(value)) for name, value in (("registered", registered), ("sent", sent))]
    ws = [(name, where) for name, where in ws if where]
    if not ws:
        return []
    return [
        Finding(
            code="redirect-whitespace",
            severity=Severity.FAIL,
            title="Spaces or invisible characters in a redirect URI",
            detail="; ".join(f"the {name} value has them {where}" for name, where in ws)
            + ". They are part of the string the IdP compares, so the URIs no longer match. Invisible "
            "characters (non-breaking or zero-width spaces) often come from copying out of documents or chat.",
            fix=("Retype or re-paste the value in the IdP and in the app configuration, with nothing around it.",),
            refs=(REF_RFC6749_COMPARE,),
            facts=facts,
        )
    ]


def _whitespace(text: str) -> str:
    """Where ``text`` has whitespace or invisible characters: "at the ends", "inside", both, or ""."""
    parts: list[str] = []
    if text != text.strip() or (text and (is_invisible(text[0]) or is_invisible(text[-1]))):
        parts.append("at the ends")
    inner = text.strip()
    if any(is_invisible(ch) for ch in inner):
        parts.append("inside")
    return " and ".join(parts)


def _strip_all(text: str) -> str:
    """``text`` without whitespace or invisible characters at either end."""
    out = text.strip()
    while out and is_invisible(out[0]):
        out = out[1:]
    while out and is_invisible(out[-1]):
        out = out[:-1]
    return out


def _not_absolute(a: Uri, b: Uri, facts: dict[str, str]) -> list[Finding]:
    """The first side without a scheme or a host, if any (one finding is enough to point at the problem)."""
    for name, uri in (("registered", a), ("sent", b)):
        if uri.scheme is None or uri.authority is None:
            return [
                Finding(
                    code="redirect-not-absolute",
                    severity=Severity.WARN,
                    title=f"The {name} redirect URI is not an absolute URI",
                    detail="A redirect URI must be absolute, with a scheme and a host (RFC 6749 §3.1.2), e.g. "
                    "https://app.example.com/callback.",
                    fix=FIX_REGISTER,
                    refs=(REF_RFC6749_REDIRECT,),
                    facts={**facts, "which": name},
                )
            ]
    return []
