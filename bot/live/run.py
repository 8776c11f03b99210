"""The three live checks as use cases: plain values in, a report out.

The command line (``bot.cli.check``) calls these today and the Slack modals will call the same
functions, so both surfaces send the same requests and say the same things. Each one sends its
requests through the SSRF guard (``bot.live.probe``), hands what came back to a pure reader in
``bot/diagnostics/live/``, and returns that reader's report with every trace of the token taken
out by the one redaction boundary (``bot.redaction.seal``). Input mistakes raise :class:`LiveInputError`, whose message never repeats the token.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urlsplit

from bot.diagnostics.live import (discovery_url, jwks_uri_of, read_discovery, read_fetched_metadata,
                                  read_saml_metadata, read_scim_answers, short_url, stops_the_replay)
from bot.diagnostics.text import as_text
from bot.diagnostics.token import strip_wrapping
from bot.live.exchange import Exchange
from bot.live.policy import ProbePolicy
from bot.live.probe import Probe
from bot.live.scim_plan import IDPS, Step, headers_for, plan_for
from bot.redaction import SafeReport, seal

__all__ = ["LiveInputError", "run_scim_check", "run_oidc_check", "run_saml_check", "IDPS"]

_MAX_URL = 2000


class LiveInputError(ValueError):
    """What was given cannot be checked; ``field`` names the input to fix (url, token, idp, metadata)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _clock(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(timezone.utc)


def _url(value: str, field: str, what: str) -> str:
    """``value`` as an absolute http(s) URL; a bare host and path get ``https://``."""
    text = " ".join(as_text(value).split())
    if not text:
        raise LiveInputError(field, f"Give the {what}.")
    if len(text) > _MAX_URL:
        raise LiveInputError(field, f"The {what} is longer than {_MAX_URL} characters.")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise LiveInputError(field, f"The {what} must start with https:// and name a host.")
    return text


# ---------------------------------------------------------------------- SCIM


def run_scim_check(base_url: str, token: str, *, idp: str = "entra", policy: ProbePolicy | None = None,
                   now: datetime | None = None, nonce: Callable[[], str] | None = None) -> SafeReport:
    """Replay ``idp``'s Test connection and first-sync reads against ``base_url`` with ``token``.

    Only GET requests are sent (``bot.live.scim_plan`` lists them and their sources); the replay stops
    at the first request that gets no answer, a 401/403 or a 429. ``nonce`` draws the random names
    looked up (tests fix it).
    """
    if idp not in IDPS:
        raise LiveInputError("idp", f"The IdP must be one of: {', '.join(IDPS)}.")
    base = _url(base_url, "url", "SCIM base URL")
    secret = strip_wrapping(as_text(token))
    if not secret:
        raise LiveInputError("token", "Give the bearer token (the IdP's Secret Token / API token).")
    probe = Probe(policy)
    headers = headers_for(idp, secret)
    answers: list[tuple[Step, Exchange]] = []
    for step in plan_for(idp, nonce=nonce):
        exchange = probe.get(_scim_request_url(base, step), headers)
        answers.append((step, exchange))
        if stops_the_replay(exchange):
            break
    report = read_scim_answers(base, idp, answers, token=secret, now=_clock(now), max_bytes=probe.policy.max_bytes)
    # The token is a secret whatever its shape; the URL may carry one too (a password or a query key).
    return seal(seal(report, secret, as_text(token), whole=True), base_url)


def _scim_request_url(base: str, step: Step) -> str:
    """The base URL's scheme, host and path with the step's path and query appended, as an IdP does. The
    base URL's own query (such as Entra's ``?aadOptscim062020`` flag) is not sent."""
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}{parts.path}{step.target()}"


# ---------------------------------------------------------------------- OpenID Connect


def run_oidc_check(issuer: str, *, policy: ProbePolicy | None = None, now: datetime | None = None) -> SafeReport:
    """Fetch ``issuer``'s discovery document and its JWKS, and judge both (``live.oidc``)."""
    expected = _url(issuer, "url", "issuer URL")
    probe = Probe(policy)
    discovery = probe.get(discovery_url(expected), {"Accept": "application/json"})
    jwks_uri = jwks_uri_of(discovery)
    jwks = probe.get(jwks_uri, {"Accept": "application/json, application/jwk-set+json"}) if jwks_uri else None
    return seal(read_discovery(expected, discovery, jwks, now=_clock(now), max_bytes=probe.policy.max_bytes), issuer)


# ---------------------------------------------------------------------- SAML metadata


def run_saml_check(*, url: str | None = None, text: str | bytes | None = None, source: str = "",
                   policy: ProbePolicy | None = None, now: datetime | None = None) -> SafeReport:
    """Judge SAML metadata fetched from ``url``, or given as ``text`` (an uploaded or local file)."""
    if (url is None) == (text is None):
        raise LiveInputError("metadata", "Give either the metadata URL or the metadata itself.")
    if text is not None:
        body = as_text(text)
        if not body.strip():
            raise LiveInputError("metadata", "The metadata is empty.")
        return seal(read_saml_metadata(body, now=_clock(now), source=source), source)
    address = _url(url or "", "url", "metadata URL")
    probe = Probe(policy)
    exchange = probe.get(address, {"Accept": "application/samlmetadata+xml, application/xml, text/xml"})
    report = read_fetched_metadata(exchange, max_bytes=probe.policy.max_bytes, now=_clock(now),
                                   source=short_url(address))
    return seal(report, address)
