"""What went wrong in a sign-in flow: each check reads the redacted steps and returns findings.

The engine explains the codes (``bot.checks.run_check``); these checks say where in the flow they
happened and what the capture itself shows: lost state or nonce, a redirect_uri on another host,
loops, cookies the browser drops, HTTP errors, a 502 or 503 after the callback, SAML responses and
clocks that disagree.
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
_REF_OAUTH = "RFC 6749 §4.1.2.1 (authorization error response), §10.12 (CSRF and state)"
_REF_OIDC = "OpenID Connect Core 1.0 §3.1.2.1 (nonce), §3.2.2.11"
_REF_COOKIE = "RFC 6265 §4.1.2.3 (Domain), §6.1 (limits); draft-ietf-httpbis-rfc6265bis (SameSite=None needs Secure)"


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
        if authorize.state_fp and not callback.state_fp:
            out.append(Finding("har-state-lost", Severity.FAIL, f"The state sent at step {number(authorize)} did not "
                               f"come back at the callback (step {number(callback)})",
                               "The app sent a state value with the authorize request, but the callback arrived "
                               "without one, so the app cannot tie the answer to the sign-in it started and must "
                               "refuse it.",
                               fix=("Check that nothing between the IdP and the app (a proxy, a rewrite rule, a "
                                    "front-end router) drops the query string or fragment of the callback URL.",
                                    "If the callback uses response_mode=form_post, make sure the app reads the "
                                    "POSTed fields, not the query string."),
                               refs=(_REF_OAUTH,), facts={"steps": where}))
        elif authorize.state_fp and callback.state_fp != authorize.state_fp:
            out.append(Finding("har-state-mismatch", Severity.FAIL, f"The state that came back at step "
                               f"{number(callback)} is not the one sent at step {number(authorize)}",
                               "The callback carries another state than the authorize request that started this "
                               "sign-in: usually two sign-ins ran at once (two tabs, a retry, a double click) or "
                               "the app lost the session cookie holding its state.",
                               fix=("Sign in once, in one tab, from the start; if it still happens, check that the "
                                    "app's session or state cookie survives the trip to the IdP (see the cookie "
                                    "findings: SameSite and size).",),
                               refs=(_REF_OAUTH,),
                               facts={"steps": where, "sent": authorize.state_fp, "returned": callback.state_fp}))
        elif not authorize.state_fp:
            out.append(Finding("har-state-absent", Severity.WARN, f"The authorize request at step {number(authorize)} "
                               "sent no state", "Without state the app cannot tell its own sign-in from a forged "
                               "one (CSRF); many IdP libraries also refuse the answer.",
                               fix=("Send a fresh, unguessable state with every authorize request and compare it "
                                    "at the callback.",), refs=(_REF_OAUTH,)))
        if callback.id_token_nonce_fp and authorize.nonce_fp and callback.id_token_nonce_fp != authorize.nonce_fp:
            out.append(Finding("har-nonce-mismatch", Severity.FAIL, f"The ID token at step {number(callback)} carries "
                               f"another nonce than the one sent at step {number(authorize)}",
                               "The app must reject an ID token whose nonce is not the one it sent (replay "
                               "protection); this one belongs to another sign-in attempt.",
                               fix=("Sign in once, from the start, in one tab; check that the app keeps the nonce "
                                    "in a cookie or session that survives the redirect.",), refs=(_REF_OIDC,),
                               facts={"sent": authorize.nonce_fp, "in token": callback.id_token_nonce_fp}))
    for authorize in (s for s in flow if is_authorize(s)):
        if "id_token" in authorize.params.get("response_type", "") and not authorize.nonce_fp:
            out.append(Finding("har-nonce-absent", Severity.WARN, f"The authorize request at step "
                               f"{number(authorize)} asks for an ID token without a nonce",
                               "OpenID Connect requires a nonce when the ID token comes straight from the "
                               "authorization endpoint (implicit and hybrid flows); IdPs answer with an error.",
                               fix=("Send a fresh nonce with the request and check it in the ID token.",),
                               refs=(_REF_OIDC,)))
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
        if (uri.hostname or "").lower() != app.host:
            out.append(Finding("har-redirect-uri-host", Severity.WARN, f"The app at {app.host} (step {number(app)}) "
                               f"asked the IdP to send the user back to {uri.hostname} (step {number(authorize)})",
                               "The redirect_uri names another host than the one the user is on. Behind a proxy or "
                               "load balancer the app often builds it from its internal name; the IdP then refuses "
                               "it (not registered) or the browser lands where the app's cookies are not.",
                               fix=("Make the app build its redirect_uri from its public address (trust the "
                                    "proxy's X-Forwarded-Host and X-Forwarded-Proto, or configure the base URL).",
                                    "Register exactly that URI in the IdP's app registration."),
                               refs=("RFC 6749 §3.1.2",), facts=facts))
        elif uri.scheme == "http" and app.scheme == "https":
            out.append(Finding("har-redirect-uri-http", Severity.WARN, f"The redirect_uri at step "
                               f"{number(authorize)} is http:// while the app is served over https://",
                               "The app behind a TLS-terminating proxy thinks it is on plain http; Entra and Okta "
                               "refuse http redirect URIs other than localhost.",
                               fix=("Let the app trust X-Forwarded-Proto from its proxy (or set its public base URL "
                                    "to https://) and register the https URI.",),
                               refs=("RFC 6749 §3.1.2.1",), facts=facts))
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
    if insecure:
        out.append(Finding("har-cookie-samesite-insecure", Severity.FAIL,
                           f"{len(insecure)} cookie(s) set with SameSite=None but without Secure: browsers drop them",
                           "Chrome, Edge and Firefox reject a SameSite=None cookie that is not also Secure, so the "
                           "session or state cookie is never stored and the callback cannot find it.\n\n"
                           + "\n".join(f"• {c}" for c in insecure[:10]),
                           fix=("Set these cookies with SameSite=None; Secure and serve the app over https (behind "
                                "a TLS proxy, let the app know the original scheme).",), refs=(_REF_COOKIE,)))
    if large:
        out.append(Finding("har-cookie-too-large", Severity.FAIL,
                           f"{len(large)} cookie(s) over {COOKIE_LIMIT} bytes: browsers drop them",
                           "A cookie larger than 4 KB (name, value and attributes) is ignored by browsers, and "
                           "large cookie headers also overflow proxy buffers (a 502 or 400 at the next request). "
                           "Tokens or group claims kept in a cookie are the usual cause.\n\n"
                           + "\n".join(f"• {c}" for c in large[:10]),
                           fix=("Keep the tokens server-side and only a session id in the cookie, or split the "
                                "cookie (most OIDC libraries have a chunking option).",
                                "In Entra, emit groups as an overage claim or filter the groups sent to this app."),
                           refs=(_REF_COOKIE,)))
    if foreign:
        out.append(Finding("har-cookie-domain-mismatch", Severity.FAIL,
                           f"{len(foreign)} cookie(s) set for a domain the host does not belong to: browsers drop them",
                           "A Set-Cookie whose Domain attribute does not cover the host that sent it is rejected, "
                           "so the next request goes without it.\n\n" + "\n".join(f"• {c}" for c in foreign[:10]),
                           fix=("Set the cookie's Domain to the app's own domain (or leave Domain out), matching the "
                                "public host name users see.",), refs=(_REF_COOKIE,)))
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
        out.append(Finding(f"har-http-{step.status}", severity, f"Step {number(step)}: {step.host} answered "
                           f"{step.status} to {step.method} {short(step.path, 60)}",
                           (f"The answer says: {step.body_error}" if step.body_error else
                            "This request of the sign-in chain failed; the explanation of the status follows."),
                           facts={"step": str(number(step)), "status": str(step.status),
                                  **({"error": step.body_error} if step.body_error else {})}))
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
