"""The redirect URI comparison, the rest of the URI: path, query and fragment.

A path difference is named as precisely as possible (a trailing slash, then percent-encoding,
then letter case, else a different path); a fragment is reported even when both sides agree,
because RFC 6749 §3.1.2 forbids it outright.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from bot.diagnostics.explain import check_finding
from bot.diagnostics.redirect.shared import Uri, clip
from bot.diagnostics.report import Finding

_PCT_RE = re.compile(r"%[0-9a-fA-F]{2}")


def path_differences(pa: str, pb: str, facts: dict[str, str]) -> list[Finding]:
    """A trailing-slash finding, then what else tells the paths apart once the final slash is set aside."""
    if pa == pb:
        return []
    findings: list[Finding] = []
    path_facts = {**facts, "registered_path": clip(pa or "(empty)", 160), "sent_path": clip(pb or "(empty)", 160)}
    if pa.endswith("/") != pb.endswith("/"):
        findings.append(_trailing_slash(pa, pb, path_facts))
        pa, pb = pa.rstrip("/"), pb.rstrip("/")
    if pa != pb:
        findings.extend(_spelling(pa, pb, path_facts))
    return findings


def _trailing_slash(pa: str, pb: str, facts: dict[str, str]) -> Finding:
    with_slash = "registered" if pa.endswith("/") else "sent"
    values = {"with_slash": with_slash}
    if not (pa.rstrip("/") or pb.rstrip("/")):  # no path at all: Entra adds the slash itself
        values["host_only"] = "the URI"
    return check_finding("redirect-trailing-slash", facts, values=values)


def _spelling(pa: str, pb: str, facts: dict[str, str]) -> list[Finding]:
    """Different paths: only in how they are percent-encoded, only in letter case, both, or altogether."""
    ua, ub = _hex_upper(pa), _hex_upper(pb)
    if ua == ub:
        return [_percent(facts, "the same escapes written with lower- and upper-case hex digits (%2f vs %2F)")]
    da, db = unquote(ua), unquote(ub)
    if da == db:
        what = "one writes a character percent-encoded (such as %2F) where the other has it as is (/)"
        return [_percent(facts, what)]
    if pa.lower() == pb.lower():
        return [_path_case(pa, pb, facts)]
    if da.lower() == db.lower():
        return [_percent(facts, "percent-encoding differs"), _path_case(pa, pb, facts)]
    return [
        check_finding("redirect-path", facts)
    ]


def _hex_upper(path: str) -> str:
    return _PCT_RE.sub(lambda m: m.group(0).upper(), path)


def _percent(facts: dict[str, str], what: str) -> Finding:
    return check_finding("redirect-percent-encoding", facts, values={"how": what})


def _path_case(pa: str, pb: str, facts: dict[str, str]) -> Finding:
    return check_finding("redirect-path-case", facts)


def query_differences(a: Uri, b: Uri, facts: dict[str, str]) -> list[Finding]:
    if a.query == b.query:
        return []
    qa = "(none)" if a.query is None else "?" + a.query
    qb = "(none)" if b.query is None else "?" + b.query
    return [
        check_finding("redirect-query", {**facts, "registered_query": clip(qa, 120), "sent_query": clip(qb, 120)})
    ]


def fragment_findings(a: Uri, b: Uri, facts: dict[str, str]) -> list[Finding]:
    """A fragment on either side, whether or not the two agree: RFC 6749 forbids it."""
    sides = [name for name, uri in (("registered", a), ("sent", b)) if uri.fragment is not None]
    if not sides:
        return []
    return [
        check_finding("redirect-fragment", {**facts, "which": ", ".join(sides)}, values={"sides": " and ".join(sides)})
    ]
