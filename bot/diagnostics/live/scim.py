"""Read the answers of a SCIM endpoint to the IdP's replayed requests (``bot.live.scim_plan``).

A pure function of what came back: :func:`read_scim_answers` takes each step with its exchange,
the token (to explain a 401 with the token check, never to show it) and the clock, and returns the
report. What a good answer is comes from RFC 7644 and the IdPs' documentation:

* a query answers 200 with a ListResponse (RFC 7644 §3.4.2): ``schemas`` holding
  ``urn:ietf:params:scim:api:messages:2.0:ListResponse``, ``totalResults`` (required), and the
  ``Resources``, ``startIndex`` and ``itemsPerPage`` Okta's spec test requires as well;
* a filter that matches nothing is an empty list, not a 404 (Microsoft: "Response to a query/filter
  request should always be a ListResponse"; Okta's spec test expects 200 with totalResults 0, while
  its protocol reference shows a 404 body as an alternative it copes with);
* a read of an unknown id is a 404 with the SCIM error schema (RFC 7644 §3.12);
* responses are JSON with ``Content-Type: application/scim+json`` (RFC 7644 §8.1; Microsoft asks for
  exactly that header), and never an HTML page or a redirect;
* 401/403 mean the bearer token was refused (RFC 6750 §3.1), 429 asks the client to wait
  (RFC 6585 §4, Retry-After), 5xx is the server's own failure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence
from urllib.parse import urlsplit

from bot.diagnostics.live.shared import (clip, failure_finding, html_page, live_finding, short_url,
                                         truncated_finding)
from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.scim import check_scim_url
from bot.diagnostics.token import check_token
from bot.diagnostics.token.paste import fingerprint
from bot.live.exchange import Exchange
from bot.live.scim_plan import SCIM_MEDIA_TYPE, Step

__all__ = ["read_scim_answers", "stops_the_replay", "SUBJECT"]

SUBJECT = "SCIM endpoint (live)"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
_IDP_NAMES = {"entra": "Microsoft Entra ID", "okta": "Okta"}

# Shape findings that say nothing about the path (the live check judges scheme, host and reachability itself).
_NOT_ABOUT_THE_PATH = frozenset({
    "scim-url-ok", "scim-url-unreadable", "scim-url-not-https", "scim-url-host-not-public", "scim-url-no-host",
    "scim-url-bad-host", "scim-url-userinfo", "scim-url-no-scheme", "scim-url-scheme-slashes",
    "scim-url-environment", "scim-url-unknown-environment", "scim-url-wrong-environment",
    "scim-url-expected-env-unknown",
})


def stops_the_replay(exchange: Exchange) -> bool:
    """After these answers the replay sends nothing more: no answer at all, a refused token (more requests
    would only repeat it), or a server asking us to slow down."""
    return not exchange.answered or exchange.status in (401, 403, 429)


def read_scim_answers(base_url: str, idp: str, answers: Sequence[tuple[Step, Exchange]], *, token: str,
                      now: datetime, max_bytes: int = 1_000_000) -> Report:
    """The findings for one replay, most important first, ending with the summary of what was sent."""
    reader = _Reader(base_url, idp, token, now, max_bytes)
    for step, exchange in answers:
        reader.read(step, exchange)
    return Report(subject=SUBJECT, findings=tuple(reader.findings(answers)), inputs=("scim_url", "token"),
                  secret_seen=True)


class _Reader:
    def __init__(self, base_url: str, idp: str, token: str, now: datetime, max_bytes: int) -> None:
        self.base_url, self.idp, self.token, self.now, self.max_bytes = base_url, idp, token, now, max_bytes
        self.problems: list[Finding] = []
        self.notes: list[Finding] = []
        self.codes: set[str] = set()
        self.not_found: list[str] = []
        self.discovery_missing: list[str] = []
        self.filter_404: list[tuple[str, Exchange]] = []
        self.answered_ok = 0

    # ------------------------------------------------------------------ one step

    def read(self, step: Step, exchange: Exchange) -> None:
        request = f"GET {step.target()}"
        if exchange.redirects:
            self._redirect(request, exchange)
        if not exchange.answered:
            self._add(failure_finding(exchange, f"the {step.label}"))
            return
        if exchange.redirects:
            return
        status = exchange.status or 0
        if exchange.truncated:
            self._add(truncated_finding(exchange, request, self.max_bytes))
        if status in (401, 403):
            self._refused(request, exchange)
        elif status == 429:
            retry = exchange.header("retry-after") or "not given"
            self._add(live_finding("live-scim-rate-limited", {"request": request, "retry_after": retry},
                                   values={"brief": _brief(request)}))
        elif status >= 500:
            self._add(live_finding("live-scim-server-error", self._facts(request, exchange),
                                   values={"brief": _brief(request)}))
        elif html_page(exchange) is not None:
            self._html(request, exchange)
        elif status == 404:
            self._not_found(step, request, exchange)
        elif status == 200:
            self._ok(step, request, exchange)
        elif status == 400 and step.role == "list-empty":
            self._add(live_finding("live-scim-filter-rejected", self._facts(request, exchange),
                                   values={"brief": _brief(request), "idp": _IDP_NAMES[self.idp]}))
        else:
            self._add(live_finding("live-scim-unexpected-status", self._facts(request, exchange),
                                   values={"brief": _brief(request), "idp": _IDP_NAMES[self.idp],
                                           "expected": "404" if step.role == "missing" else "200"}))

    def _redirect(self, request: str, exchange: Exchange) -> None:
        first = exchange.redirects[0]
        page = html_page(exchange) if exchange.answered else None
        ending = "a sign-in page" if page and page.login else (f"HTTP {exchange.status}" if exchange.status else "")
        facts = {"request": request, "status": str(first.status), "location": short_url(first.location)}
        if ending:
            facts["ends_at"] = ending
        self._add(live_finding("live-scim-redirect", facts, values={"brief": _brief(request)}))

    def _refused(self, request: str, exchange: Exchange) -> None:
        status = exchange.status
        token_report = check_token(self.token, now=self.now)
        state = _token_state(token_report)
        facts = {**self._facts(request, exchange), "token_fingerprint": fingerprint(self.token), "token": state}
        self._add(live_finding("live-scim-unauthorized" if status == 401 else "live-scim-forbidden", facts,
                               values={"brief": _brief(request)}))
        audience = self._foreign_audience(token_report)
        if audience:
            self._add(live_finding("live-scim-token-audience",
                                   {"audience": audience, "scim_host": urlsplit(self.base_url).hostname or ""}))
        for finding in token_report.findings:
            if finding.code not in self.codes and finding.severity is not Severity.OK:
                self.codes.add(finding.code)
                self.problems.append(finding)

    def _foreign_audience(self, token_report: Report) -> str:
        """A JWT's ``aud`` when every value is a URL on another host than the SCIM endpoint's."""
        host = (urlsplit(self.base_url).hostname or "").lower()
        for finding in token_report.findings:
            audience = finding.facts.get("audience", "")
            if not audience:
                continue
            hosts = [urlsplit(a.strip()).hostname for a in audience.split(",")]
            if host and hosts and all(hosts) and all(h.lower() != host for h in hosts if h):
                return clip(audience, 100)
        return ""

    def _html(self, request: str, exchange: Exchange) -> None:
        page = html_page(exchange)
        facts = self._facts(request, exchange)
        if page and page.title:
            facts["page_title"] = page.title
        self._add(live_finding("live-scim-html", facts, values={
            "brief": _brief(request), **({"if_login": "yes"} if page and page.login else {"if_page": "yes"})}))

    def _not_found(self, step: Step, request: str, exchange: Exchange) -> None:
        body = exchange.json()
        scim_error = isinstance(body, dict) and ERROR_SCHEMA in _schemas(body)
        if step.role == "missing":  # the right answer, yet no proof the base URL is right: there every path 404s
            if not scim_error:
                self._add(live_finding("live-scim-error-body", self._facts(request, exchange),
                                       values={"brief": _brief(request)}))
            return
        if step.role == "discovery":
            self.discovery_missing.append(step.path)
            return
        if step.role == "list-empty" and scim_error:
            self.filter_404.append((request, exchange))  # decided at the end: was anything else answered?
            return
        if step.optional:
            self.notes.append(live_finding("live-scim-groups-missing", {"request": request},
                                           values={"brief": _brief(request)}))
            return
        self.not_found.append(request)

    def _filter_404(self, request: str, exchange: Exchange) -> None:
        code = "live-scim-filter-404-tolerated" if self.idp == "okta" else "live-scim-filter-404"
        self._add(live_finding(code, self._facts(request, exchange), values={"brief": _brief(request)}))

    def _ok(self, step: Step, request: str, exchange: Exchange) -> None:
        body = exchange.json()
        if body is None:
            self._add(live_finding("live-scim-not-json", self._facts(request, exchange), values={"brief": _brief(request)}))
            return
        self.answered_ok += 1
        self._content_type(request, exchange)
        if step.role == "missing":
            self._add(live_finding("live-scim-unknown-id-found", self._facts(request, exchange),
                                   values={"brief": _brief(request)}))
        elif step.role in ("list", "list-empty"):
            self._list(step, request, body)
        elif step.key == "service-provider-config" and isinstance(body, dict):
            self._provider_config(request, body)

    def _content_type(self, request: str, exchange: Exchange) -> None:
        media = exchange.media_type
        if media == SCIM_MEDIA_TYPE:
            return
        facts = {"request": request, "content_type": exchange.header("content-type") or "(none)"}
        if media == "application/json":
            self._note(live_finding("live-scim-content-type-json", facts))
        else:
            self._add(live_finding("live-scim-content-type", facts,
                                   values={"media": media} if media else {"if_none": "yes"}))

    def _list(self, step: Step, request: str, body: Any) -> None:
        if not isinstance(body, dict):
            self._add(live_finding("live-scim-list-no-total", {"request": request},
                                   values={"brief": _brief(request), "if_not_object": "yes"}))
            return
        total = body.get("totalResults")
        if not _is_count(total):
            self._add(live_finding("live-scim-list-no-total", {"request": request},
                                   values={"brief": _brief(request), "if_no_total": "yes"}))
        missing = [name for name in ("Resources", "startIndex", "itemsPerPage") if name not in body]
        if LIST_RESPONSE not in _schemas(body):
            missing.append("schemas: ListResponse")
        if missing:
            self._add(live_finding("live-scim-list-fields", {"request": request, "missing": ", ".join(missing)},
                                   values={"brief": _brief(request)}))
        resources = body.get("Resources")
        found = (total if _is_count(total) else 0) or (len(resources) if isinstance(resources, list) else 0)
        if step.role == "list-empty" and found:
            self._add(live_finding("live-scim-filter-ignored", {"request": request, "results": str(found)},
                                   values={"brief": _brief(request)}))

    def _provider_config(self, request: str, body: dict) -> None:
        off = [name for name in ("filter", "patch")
               if isinstance(body.get(name), dict) and body[name].get("supported") is False]
        if off:
            self._add(live_finding("live-scim-config-unsupported", {"request": request, "unsupported": ", ".join(off)},
                                   values={"one": off[0]} if len(off) == 1 else {"both": " and ".join(off)}))

    # ------------------------------------------------------------------ the whole report

    def findings(self, answers: Sequence[tuple[Step, Exchange]]) -> list[Finding]:
        # A SCIM 404 to a filter is the filter-404 habit only when the same base URL answered something else;
        # when nothing was answered, the base URL itself is wrong (a SCIM server 404s every unknown path).
        if self.answered_ok:
            for request, exchange in self.filter_404:
                self._filter_404(request, exchange)
        else:
            self.not_found[:0] = [request for request, _exchange in self.filter_404]
        if self.not_found:
            self._wrong_path()
            # With the base URL wrong, missing groups and discovery say nothing of their own.
            self.notes = [n for n in self.notes if n.code not in ("live-scim-groups-missing",)]
            self.discovery_missing = []
        if self.discovery_missing:
            self.notes.append(live_finding("live-scim-discovery-missing", {"missing": ", ".join(self.discovery_missing)}))
        ordered = sorted(self.problems, key=lambda f: -f.severity.rank)
        if not any(f.severity in (Severity.WARN, Severity.FAIL) for f in ordered):
            ordered.insert(0, live_finding("live-scim-ok", {"requests": str(len(answers))},
                                           values={"idp": _IDP_NAMES[self.idp]}, severity=Severity.OK))
        return ordered + self.notes + [self._summary(answers)]

    def _wrong_path(self) -> None:
        """The 404 finding, followed by what the SCIM URL check finds wrong in the base URL's path."""
        facts = {"not_found": "; ".join(self.not_found[:4]), "base_url": short_url(self.base_url)}
        if self.answered_ok:
            facts["note"] = "other requests to the same base URL were answered"
        shape = check_scim_url(self.base_url).findings
        hints = [f for f in shape if f.code not in _NOT_ABOUT_THE_PATH and f.severity in (Severity.WARN, Severity.FAIL)]
        if hints:
            facts["path_problems"] = ", ".join(h.code for h in hints)
        self._add(live_finding("live-scim-not-found", facts, values={"first": self.not_found[0]}))
        for hint in hints:
            self._add(hint)

    def _summary(self, answers: Sequence[tuple[Step, Exchange]]) -> Finding:
        facts: dict[str, str] = {"idp": _IDP_NAMES[self.idp], "base_url": short_url(self.base_url)}
        for number, (step, exchange) in enumerate(answers, start=1):
            facts[f"{number}. GET {step.target()}"] = _outcome(exchange)
        return live_finding("live-scim-replay", facts, values={"count": str(len(answers)),
                                                               "host": urlsplit(self.base_url).hostname or ""})

    # ------------------------------------------------------------------ helpers

    def _add(self, finding: Finding) -> None:
        if finding.code not in self.codes:
            self.codes.add(finding.code)
            self.problems.append(finding)

    def _note(self, finding: Finding) -> None:
        if finding.code not in self.codes:
            self.codes.add(finding.code)
            self.notes.append(finding)

    @staticmethod
    def _facts(request: str, exchange: Exchange) -> dict[str, str]:
        facts = {"request": request, "status": str(exchange.status)}
        if exchange.header("content-type"):
            facts["content_type"] = exchange.header("content-type")
        body = exchange.json()
        if isinstance(body, dict):
            for name in ("scimType", "detail"):
                if isinstance(body.get(name), (str, int)):
                    facts[name] = clip(str(body[name]), 160)
        if exchange.header("www-authenticate"):
            facts["www_authenticate"] = clip(exchange.header("www-authenticate"), 160)
        return facts


def _brief(request: str) -> str:
    """``GET /Users?…`` for a title; the whole request, random names included, stays in the facts."""
    path, query = request.split("?", 1) if "?" in request else (request, "")
    return f"{path}?…" if query else path


def _schemas(body: dict) -> list[str]:
    schemas = body.get("schemas")
    return [s for s in schemas if isinstance(s, str)] if isinstance(schemas, list) else []


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _token_state(report: Report) -> str:
    """The token's state in a few words, from the token check: expired, not expired, or unknown."""
    codes = {f.code: f for f in report.findings}
    if "token-expired" in codes:
        when = codes["token-expired"].facts.get("expires_at", "")
        return f"the token expired {when}".strip()
    if "token-masked" in codes:
        return "the masked placeholder was pasted, not the token"
    if "token-jwt-decoded" in codes:
        if any(c in codes for c in ("token-valid", "token-expiring-soon", "token-expiring-critical")):
            return "the JWT has not expired: revoked, for another tenant or app, or not this endpoint's"
        return "a JWT whose expiry could not be read"
    return "an opaque token: its expiry cannot be read from it"


def _outcome(exchange: Exchange) -> str:
    if not exchange.answered:
        return f"no answer: {exchange.failure.kind if exchange.failure else 'unknown'}"
    parts = [str(exchange.status)]
    if exchange.redirects:
        parts.append(f"after {len(exchange.redirects)} redirect(s)")
    if exchange.media_type:
        parts.append(exchange.media_type)
    return " ".join(parts)
