"""What went wrong in a sign-in flow: each check reads the redacted steps and returns findings.

The engine explains the codes (``bot.checks.run_check``); these checks say where in the flow they
happened and what the capture itself shows: lost state or nonce, a redirect_uri on another host,
loops, cookies the browser drops, HTTP errors, a 502 or 503 after the callback, SAML responses and
clocks that disagree. Each emits a code and its facts; the words are the entries of
bot/knowledge/data/file_checks.toml (``explain.check_finding``).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import replace
from urllib.parse import urlsplit

from bot.diagnostics import explain  # a finding's text from the knowledge (not a check: nothing is judged there)
from bot.diagnostics.report import Finding, Severity
from bot.files.har_flow import idp_name, is_authorize, is_callback
from bot.files.har_read import Capture, Step
from bot.files.redact import short

__all__ = ["check_flow", "Numbering", "COOKIE_LIMIT", "SKEW_WARN", "SKEW_FAIL"]

COOKIE_LIMIT = 4096  # RFC 6265 §6.1: browsers keep at least 4096 bytes per cookie, and most no more
SKEW_WARN = 60  # seconds between two hosts' clocks worth a mention
SKEW_FAIL = 300  # Entra's and most SAML SPs' default clock tolerance is 5 minutes
LOOP_VISITS = 3


class Numbering:
    """Timeline numbers (1-based positions in the flow) for the steps."""

    def __init__(self, flow: list[Step]) -> None:
        self._of = {step.number: n for n, step in enumerate(flow, start=1)}

    def __call__(self, step: Step) -> int:
        return self._of.get(step.number, 0)


def check_flow(flow: list[Step], capture: Capture) -> list[Finding]:
    """Every finding about ``flow`` except the engine's explanations and the SAML checks (``bot.files.har``)."""
    number = Numbering(flow)
    findings: list[Finding] = []
    for check in (_state_and_nonce, _nonce_without_token, _redirect_uri_host, _loops, _cookies, _http_errors,
                  _after_callback):
        findings += check(flow, number)
    findings += _clock_skew(flow, capture)
    return findings


# ------------------------------------------------------------------ state and nonce


def _state_and_nonce(flow: list[Step], number: Numbering) -> list[Finding]:
    out: list[Finding] = []
    for callback in (s for s in flow if is_callback(s) and "samlresponse" not in s.params):
        authorize = _authorize_before(flow, callback)
        if authorize is None:
            continue
        where = f"step {number(authorize)} → step {number(callback)}"
        steps = {"sent_step": str(number(authorize)), "callback_step": str(number(callback))}
        if authorize.state_fp and not callback.state_fp:
            out.append(explain.check_finding("har-state-lost", {"steps": where}, values=steps))
        elif authorize.state_fp and callback.state_fp != authorize.state_fp:
            out.append(explain.check_finding("har-state-mismatch", {"steps": where, "sent": authorize.state_fp,
                                                                   "returned": callback.state_fp}, values=steps))
        elif not authorize.state_fp:
            out.append(explain.check_finding("har-state-absent", values={"step": str(number(authorize))}))
        if callback.id_token_nonce_fp and authorize.nonce_fp and callback.id_token_nonce_fp != authorize.nonce_fp:
            out.append(explain.check_finding("har-nonce-mismatch", {"sent": authorize.nonce_fp,
                                                                   "in token": callback.id_token_nonce_fp}, values=steps))
    for authorize in (s for s in flow if is_authorize(s)):
        if "id_token" in authorize.params.get("response_type", "") and not authorize.nonce_fp:
            out.append(explain.check_finding("har-nonce-absent", values={"step": str(number(authorize))}))
    return out


def _nonce_without_token(flow: list[Step], number: Numbering) -> list[Finding]:
    """What the capture can say about the nonce when no ID token passes through the browser (the code flow):
    whether each authorize request sent a fresh one, and, when the sign-in failed after the callback, that
    the comparison itself happens out of sight. It cannot say whether the token's nonce matched."""
    out: list[Finding] = []
    by_nonce: dict[str, list[Step]] = {}
    for step in (s for s in flow if is_authorize(s) and s.nonce_fp):
        by_nonce.setdefault(step.nonce_fp, []).append(step)
    for fp, steps in by_nonce.items():
        if len(steps) >= 2:
            out.append(explain.check_finding("har-nonce-reused", {"count": str(len(steps)), "nonce": fp,
                                                          "steps": ", ".join(str(number(s)) for s in steps[:10])}))
    for callback in (s for s in flow if is_callback(s) and "code" in s.params and not s.id_token_nonce_fp):
        authorize = _authorize_before(flow, callback)
        if authorize is None or not authorize.nonce_fp or not _failed_after(flow, callback):
            continue
        kept = callback.state_fp if callback.state_fp and callback.state_fp == authorize.state_fp else ""
        out.append(explain.check_finding("har-nonce-not-visible", {"step": str(number(authorize)),
                                                           "callback": str(number(callback))},
                                 values={"state": f"fingerprint {kept}" if kept else ""}))
        break  # once: the same holds for every later round
    return out


def _failed_after(flow: list[Step], callback: Step) -> bool:
    """The sign-in went wrong at or after ``callback``: an error answer, or the app starting over."""
    return any(s.number >= callback.number and s.status >= 400 for s in flow) or \
        any(s.number > callback.number and is_authorize(s) for s in flow)


def _authorize_before(flow: list[Step], callback: Step) -> Step | None:
    before = [s for s in flow if s.number < callback.number and is_authorize(s)]
    for step in reversed(before):
        uri = step.params.get("redirect_uri", "")
        if uri and urlsplit(uri).hostname == callback.host:
            return step
    return before[-1] if before else None


# ------------------------------------------------------------------ redirect_uri against the host


def _redirect_uri_host(flow: list[Step], number: Numbering) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for authorize in (s for s in flow if is_authorize(s) and s.params.get("redirect_uri")):
        uri = urlsplit(authorize.params["redirect_uri"])
        app = _initiator(flow, authorize)
        if app is None or (uri.hostname or "") == "" or (app.host, uri.netloc) in seen:
            continue
        seen.add((app.host, uri.netloc))
        facts = {"app": f"{app.scheme}://{app.host}", "redirect_uri": authorize.params["redirect_uri"]}
        steps = {"app_step": str(number(app)), "step": str(number(authorize))}
        if (uri.hostname or "").lower() != app.host:
            out.append(explain.check_finding("har-redirect-uri-host", facts,
                                             values={**steps, "app_host": app.host, "uri_host": uri.hostname or ""}))
        elif uri.scheme == "http" and app.scheme == "https":
            out.append(explain.check_finding("har-redirect-uri-http", facts, values=steps))
    return out


def _initiator(flow: list[Step], authorize: Step) -> Step | None:
    """The app step that sent the browser to ``authorize`` (its redirect), when the capture has it."""
    for step in reversed([s for s in flow if s.number < authorize.number]):
        if step.location_host == authorize.host and not idp_name(step.host, step.path):
            return step
    return None


# ------------------------------------------------------------------ loops


def _loops(flow: list[Step], number: Numbering) -> list[Finding]:
    visits = Counter(_loop_key(s) for s in flow if s.method == "GET")
    key, count = max(visits.items(), key=lambda kv: kv[1], default=(None, 0))
    if key is None or count < LOOP_VISITS:
        return []
    steps = [number(s) for s in flow if s.method == "GET" and _loop_key(s) == key]
    hosts = list(dict.fromkeys(s.host for s in flow if steps[0] <= number(s) <= steps[-1]))
    return [explain.check_finding("har-redirect-loop", {"visits": str(count), "url": key},
                                  values={"url_shown": short(key, 90), "hosts": " → ".join(hosts),
                                          "steps": ", ".join(map(str, steps[:10]))})]


def _loop_key(step: Step) -> str:
    """The URL without values (state, nonce and codes change on each round)."""
    names = ",".join(sorted(step.params))
    return f"{step.scheme}://{step.host}{step.path}" + (f"?{names}" if names else "")


# ------------------------------------------------------------------ cookies


def _cookies(flow: list[Step], number: Numbering) -> list[Finding]:
    insecure, large, foreign = [], [], []
    for step in flow:
        for cookie in step.cookies_set:
            label = f"{cookie.name} (step {number(step)}, {step.host})"
            if cookie.samesite == "none" and not cookie.secure:
                insecure.append(label)
            if cookie.size > COOKIE_LIMIT:
                large.append(f"{cookie.name} ({cookie.size} bytes, step {number(step)})")
            if cookie.domain and not _domain_matches(step.host, cookie.domain):
                foreign.append(f"{cookie.name} (Domain={cookie.domain} set by {step.host}, step {number(step)})")
    out = []
    for code, cookies in (("har-cookie-samesite-insecure", insecure), ("har-cookie-too-large", large),
                          ("har-cookie-domain-mismatch", foreign)):
        if cookies:
            out.append(explain.check_finding(code, values={"count": str(len(cookies)), "limit": str(COOKIE_LIMIT),
                                                           "listed": "\n".join(f"• {c}" for c in cookies[:10])}))
    return out


def _domain_matches(host: str, domain: str) -> bool:
    domain = domain.lstrip(".")
    return host == domain or host.endswith("." + domain)


# ------------------------------------------------------------------ HTTP errors


def _http_errors(flow: list[Step], number: Numbering) -> list[Finding]:
    callback_hosts = _after_callback_steps(flow)
    out = []
    failed = [s for s in flow if s.status >= 400 and s.number not in callback_hosts]
    for step in failed[:6]:
        severity = Severity.FAIL if step.status >= 500 or not step.content_type.startswith(("application/json",)) \
            else Severity.WARN
        facts = {"step": str(number(step)), "status": str(step.status)}
        facts |= {"error": step.body_error} if step.body_error else {}
        out.append(explain.check_finding("har-http-error", facts, severity=severity, values={
            "host": step.host, "request": f"{step.method} {short(step.path, 60)}", "if_no_error": "" if step.body_error else "yes"}))
    unanswered = [s for s in flow if s.status == 0]
    if unanswered:
        listed = ", ".join(f"step {number(s)} ({s.host})" for s in unanswered[:6])
        out.append(explain.check_finding("har-no-answer", values={"count": str(len(unanswered)), "listed": listed}))
    return out


def _after_callback_steps(flow: list[Step]) -> set[int]:
    """Steps answered 502/503/504 on the app's host at or right after a callback."""
    out = set()
    for callback in (s for s in flow if is_callback(s)):
        for step in flow:
            if step.number >= callback.number and step.host == callback.host and step.status in (502, 503, 504):
                out.add(step.number)
                break
    return out


#: The finding for each status the app answers right after a callback (see _after_callback_steps).
_CALLBACK_CODES = {502: "har-callback-502", 503: "har-callback-503", 504: "har-callback-504"}


def _after_callback(flow: list[Step], number: Numbering) -> list[Finding]:
    """What a 502, 503 or 504 from the app right after the callback says (the IdP's part worked)."""
    return [explain.check_finding(_CALLBACK_CODES[step.status], {"host": step.host, "step": str(number(step))})
            for step in flow if step.number in _after_callback_steps(flow)]


# ------------------------------------------------------------------ clocks


def _clock_skew(flow: list[Step], capture: Capture) -> list[Finding]:
    seen: dict[str, list[float]] = {}
    for step in flow:
        if step.clock_offset is not None:
            seen.setdefault(step.host, []).append(step.clock_offset)
    offsets = {host: statistics.median(values) for host, values in seen.items()}
    if len(offsets) < 2:
        return []
    fast = max(offsets, key=offsets.get)
    slow = min(offsets, key=offsets.get)
    gap = offsets[fast] - offsets[slow]
    if gap < SKEW_WARN:
        return []
    severity = Severity.FAIL if gap >= SKEW_FAIL else Severity.WARN
    # The facts are the hosts' offsets, named by host; the text's own values come after them, so that a
    # host whose name is one of the template's fields cannot take its place.
    finding = explain.check_finding("har-clock-skew", severity=severity, values={
        "fast": fast, "slow": slow, "gap": str(round(gap)),
        "fast_offset": _signed(offsets[fast]), "slow_offset": _signed(offsets[slow])})
    return [replace(finding, facts={h: _signed(v) for h, v in list(offsets.items())[:8]})]


def _signed(seconds: float) -> str:
    whole = round(seconds)
    return f"{'+' if whole >= 0 else '-'}{abs(whole)} s"
