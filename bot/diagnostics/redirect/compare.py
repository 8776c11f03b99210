"""The redirect URI comparison: an empty side, an exact match, or a mismatch with each of its causes.

A mismatch is reported once with the character where the two strings part (``diverge_at``) and an
aligned snippet, then once per kind of difference, in the order a reader checks a URI: stray
whitespace, a relative URI, then scheme, host and port (origin), then path, query and
fragment (path).
"""

from __future__ import annotations

from bot.diagnostics.explain import check_finding
from bot.diagnostics.redirect.origin import origin_differences
from bot.diagnostics.redirect.path import fragment_findings, path_differences, query_differences
from bot.diagnostics.redirect.shared import Uri, clip, split_uri, visible
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.text import has_invisible, is_invisible

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
    return check_finding("redirect-missing", facts, values={"missing": missing})


def _match(uri: str) -> Finding:
    return check_finding("redirect-match", {"uri": clip(uri)}, severity=Severity.OK)


def _mismatch(registered: str, sent: str, position: int, facts: dict[str, str]) -> Finding:
    return check_finding("redirect-mismatch", facts, values={"snippet": _snippet(registered, sent, position)})


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
        check_finding("redirect-whitespace", facts, values={f"{name}_whitespace": where for name, where in ws})
    ]


def _whitespace(text: str) -> str:
    """Where ``text`` has whitespace or invisible characters: "at the ends", "inside", both, or ""."""
    parts: list[str] = []
    if text != text.strip() or (text and (is_invisible(text[0]) or is_invisible(text[-1]))):
        parts.append("at the ends")
    inner = text.strip()
    if has_invisible(inner):
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
                check_finding("redirect-not-absolute", {**facts, "which": name})
            ]
    return []
