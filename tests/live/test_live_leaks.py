"""No secret leaves a live check: the token, and whatever a server echoes back, stay out of every output.

The same generated secrets as the app-wide leak test (``tests/support/secrets.py``) are sent through the
three live checks against loopback servers that misbehave on purpose: a SCIM endpoint that echoes the
bearer token and every pasted secret in its error body, headers and an HTML page title; a discovery
document and JWKS that carry them in their fields; SAML metadata with them in its attributes and in the
URL it is fetched from. Then no 12-character run of any secret may be found in the JSON or the text
report, in the log records as emitted (DEBUG, before any formatter), or in what ``sso-bot check``
printed.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.diagnostics.render import render_json, render_text
from bot.logs import configure_logging
from bot.live.run import run_oidc_check, run_saml_check, run_scim_check
from tests.live.peers import Answer, LoopbackServer, json_answer
from tests.support.secrets import Leaks, jwts, one_of_each, opaque_tokens

REPO = Path(__file__).resolve().parents[2]
LIVE_LEAKS = settings(max_examples=4, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                             HealthCheck.data_too_large])
tokens = st.one_of(opaque_tokens, jwts())


class Records(logging.Handler):
    """Every record as emitted, formatted without the redacting formatter."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


def _recording():
    """Logging as production configures it at DEBUG (``bot.logs``), plus a handler that keeps every record
    that reaches the root as it was emitted, before the redacting formatter."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level,
             {name: logging.getLogger(name).level for name in ("slack_bolt", "slack_sdk", "httpx", "httpcore")})
    configure_logging("DEBUG", stream=io.StringIO())
    records = Records()
    root.addHandler(records)

    def stop() -> None:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)

    return records, stop


def _assert_clean(leaks: Leaks, report, records: Records) -> None:
    found = {
        "json": leaks.in_value(json.loads(render_json(report))),
        "text": leaks.in_text(render_text(report, colour=False)),
        "log": leaks.in_text("\n".join(records.lines)),
    }
    assert not any(found.values()), {where: hits[:3] for where, hits in found.items() if hits}


def _echoing_scim(pasted_texts: list[str]):
    """Every SCIM path answers 401 with the Authorization header and the pastes echoed back."""

    def answer(seen):
        detail = f"token {seen.headers.get('authorization', '')} rejected; context: " + " | ".join(pasted_texts)
        body = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "401",
                           "detail": detail[:20_000]})
        return json_answer(body, status=401, WWW_Authenticate=f'Bearer error="invalid_token", seen="{pasted_texts[0][:200]}"')

    return {path: answer for path in ("/scim/v2/Users", "/scim/v2/Groups", "/scim/v2/ServiceProviderConfig",
                                      "/scim/v2/Schemas", "/scim/v2/ResourceTypes")}


@LIVE_LEAKS
@given(token=tokens, pasted=one_of_each())
def test_a_scim_server_that_echoes_the_token_and_secrets_leaks_nothing(loopback_policy, token, pasted):
    texts = [p.text for p in pasted]
    leaks = Leaks([token, *(s for p in pasted for s in p.secrets)])
    records, stop = _recording()
    try:
        with LoopbackServer(_echoing_scim(texts)) as server:
            report = run_scim_check(server.url("/scim/v2"), token, policy=loopback_policy())
    finally:
        stop()
    assert report.findings, "the replay produced no finding to search"
    _assert_clean(leaks, report, records)


@LIVE_LEAKS
@given(token=tokens, pasted=one_of_each())
def test_an_html_page_echoing_the_token_leaks_nothing(loopback_policy, token, pasted):
    leaks = Leaks([token, *(s for p in pasted for s in p.secrets)])
    title = f"Sign in {token} " + pasted[0].text[:300]
    page = f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{pasted[1].text}</body></html>"
    routes = {path: Answer(200, page, {"Content-Type": "text/html"}) for path in ("/scim/v2/Users", "/scim/v2/Groups")}
    records, stop = _recording()
    try:
        with LoopbackServer(routes) as server:
            report = run_scim_check(server.url("/scim/v2"), token, policy=loopback_policy())
    finally:
        stop()
    _assert_clean(leaks, report, records)


@LIVE_LEAKS
@given(pasted=one_of_each())
def test_discovery_and_jwks_carrying_secrets_leak_nothing(loopback_policy, pasted):
    leaks = Leaks([s for p in pasted for s in p.secrets])
    texts = [p.text for p in pasted]

    def discovery(seen):
        issuer = f"http://127.0.0.1:{server.port}"
        return json_answer(json.dumps({
            "issuer": issuer + "/" + texts[0][:200], "authorization_endpoint": texts[1][:500],
            "token_endpoint": "http://" + texts[2][:300], "jwks_uri": issuer + "/jwks",
            "error_description": " ".join(texts)[:5000]}), media="application/json")

    jwks = json_answer(json.dumps({"keys": [{"kty": "RSA", "kid": texts[3][:200], "n": texts[4][:400], "e": "AQAB"}]}),
                       media="application/json")
    records, stop = _recording()
    try:
        with LoopbackServer({"/.well-known/openid-configuration": discovery, "/jwks": jwks}) as server:
            report = run_oidc_check(server.url(""), policy=loopback_policy())
    finally:
        stop()
    assert report.findings
    _assert_clean(leaks, report, records)


@LIVE_LEAKS
@given(pasted=one_of_each())
def test_saml_metadata_carrying_secrets_leaks_nothing(pasted):
    leaks = Leaks([s for p in pasted for s in p.secrets])
    texts = [p.text[:300] for p in pasted]
    metadata = (
        f'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID={quoteattr(texts[0])}>'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        f'Location={quoteattr("https://idp.example.com/sso?" + texts[1])}/>'
        '</md:IDPSSODescriptor></md:EntityDescriptor>')
    records, stop = _recording()
    try:
        report = run_saml_check(text=metadata, source=texts[2])
    finally:
        stop()
    assert report.findings
    _assert_clean(leaks, report, records)


@settings(LIVE_LEAKS, max_examples=1)
@given(token=tokens, pasted=one_of_each())
def test_sso_bot_check_scim_prints_nothing_secret(token, pasted):
    leaks = Leaks([token, *(s for p in pasted for s in p.secrets)])
    with LoopbackServer(_echoing_scim([p.text for p in pasted])) as server:
        env = {**os.environ, "SSO_BOT_PROBE_ALLOW": "127.0.0.1", "SSO_BOT_LOG_LEVEL": "DEBUG"}
        done = subprocess.run([sys.executable, "-m", "bot", "check", "scim", server.url("/scim/v2"), "--token-stdin",
                               "--json"], input=token, capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert done.returncode == 1, done.stderr[-2000:]
    assert not leaks.in_text(done.stdout) and not leaks.in_text(done.stderr)
