"""Properties of ``diagnose`` over generated input: it always answers, never raises, and never
repeats a pasted token."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

from hypothesis import given
from hypothesis import strategies as st

from bot.diagnostics.engine import diagnose
from tests.unit.diagnostics.engine.test_engine_helpers import assert_wellformed, no_reader_errors
from tests.unit.diagnostics.strategies import FUZZ, MAX_INPUT, hostile_text

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


@FUZZ
@given(text=hostile_text)
def test_any_text_gets_a_report(text):
    assert len(text) <= MAX_INPUT
    with no_reader_errors():
        report = diagnose(text, now=NOW)
    assert_wellformed(report)


@FUZZ
@given(data=st.binary(max_size=MAX_INPUT))
def test_any_bytes_get_a_report(data):
    with no_reader_errors():
        report = diagnose(data, now=NOW)
    assert_wellformed(report)


# --------------------------------------------------------------------------- tokens are never echoed


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_claims = st.dictionaries(
    st.sampled_from(["exp", "iat", "nbf", "iss", "aud", "sub", "email", "name", "scope", "tid"]),
    st.one_of(st.integers(0, 2**33), st.text(max_size=40), st.booleans()),
    max_size=8,
)
# The header is never empty: '{}' would not start with eyJ, and nobody pastes a JWT with no header.
_headers = st.fixed_dictionaries({"alg": st.sampled_from(["RS256", "HS256", "none", "ES256"])},
                                 optional={"typ": st.just("JWT"), "kid": st.text(max_size=20)})
jwts = st.builds(
    lambda header, claims, signature: ".".join(
        (_b64url(json.dumps(header).encode()), _b64url(json.dumps(claims).encode()), _b64url(signature))),
    _headers, _claims, st.binary(min_size=16, max_size=256),
)
opaque = st.builds(
    lambda body, digit: "tk" + digit + body,
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=24, max_size=120),
    st.sampled_from("0123456789"),
)

JWT_PLACES = [
    "{t}",
    "here is the id_token:\n{t}\nthanks",
    "Authorization: Bearer {t}",
    '{{"access_token": "{t}", "token_type": "Bearer"}}',
    "https://app.example.com/callback#id_token={t}&state=af0ifjsldkj",
    "<https://app.example.com/callback?id_token={t}|callback>",
    '{{"eventType": "user.session.start", "outcome": {{"result": "FAILURE", "reason": "rejected {t}"}}}}',
    '{{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "401", "detail": "token {t} expired"}}',
    "AADSTS50011 redirect https://app.example.com/cb?token={t} does not match https://app.example.com/cb/",
]
OPAQUE_PLACES = [
    "Authorization: Bearer {t}",
    "Secret Token: {t}",
    "SCIM token = {t} (401 from SCIM)",
    "GET https://app.example.com/scim/v2/Users?token={t}",
]


def _no_window_of(token: str, report) -> None:
    windows = {token[i:i + 12] for i in range(len(token) - 11)}
    for finding in report.findings:
        fields = [finding.title, finding.detail, *finding.fix, *finding.refs,
                  *finding.facts.keys(), *finding.facts.values()]
        for value in fields:
            for i in range(len(value) - 11):
                assert value[i:i + 12] not in windows, f"{finding.code} repeats part of the token: {value!r}"


@FUZZ
@given(token=jwts, place=st.sampled_from(JWT_PLACES), before=st.text(max_size=300), after=st.text(max_size=300))
def test_a_pasted_jwt_is_never_repeated(token, place, before, after):
    text = before + "\n" + place.format(t=token) + "\n" + after
    with no_reader_errors():
        report = diagnose(text, now=NOW)
    assert_wellformed(report)
    assert report.secret_seen
    _no_window_of(token, report)


@FUZZ
@given(token=opaque, place=st.sampled_from(OPAQUE_PLACES), before=st.text(max_size=300), after=st.text(max_size=300))
def test_a_pasted_opaque_token_is_never_repeated(token, place, before, after):
    text = before + "\n" + place.format(t=token) + "\n" + after
    with no_reader_errors():
        report = diagnose(text, now=NOW)
    assert_wellformed(report)
    assert report.secret_seen
    _no_window_of(token, report)
