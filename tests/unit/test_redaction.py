"""bot.redaction on its own: what a secret is, the hint that stands in for it, the 12-character guarantee,
and the sealed report type. Property tests generate secrets of every kind (tests/support/secrets.py)."""

from __future__ import annotations

import hashlib
import json
import pickle
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.checks import CHECKS, run_check
from bot.diagnostics.extract import find_bearer_tokens, find_jwts
from bot.diagnostics.report import Finding, Report, Severity
from bot.redaction import (HIDDEN, SafeReport, Scrubber, find_secrets, fingerprint, looks_secret, redact_text,
                           require_safe, reseal, seal, secrets_in)
from bot.redaction.report import _KEY
from tests.support.secrets import KINDS, Leaks, pastes
from tests.unit.diagnostics.strategies import _pathological, hostile_text

PROPERTY = settings(max_examples=60, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _finding(*texts: str, facts: dict[str, str] | None = None) -> Finding:
    title, detail, *fix = (*texts, "", "")[: max(2, len(texts))]
    return Finding(code="x-check", severity=Severity.WARN, title=title, detail=detail, fix=tuple(fix),
                   facts=facts or {})


# --------------------------------------------------------------------------- what a secret is


@pytest.mark.parametrize("text, kind, value", [
    ("xoxb-123456789012-123456789012-abcdefghijABCDEFGHIJ1234", "slack-bot",
     "xoxb-123456789012-123456789012-abcdefghijABCDEFGHIJ1234"),
    ("xapp-1-A0123456-1234567890-abcdef", "slack-app", "xapp-1-A0123456-1234567890-abcdef"),
    ("xoxe.xoxp-1-Mi0yLTM0MTQwNDE0MDE4", "slack-user", "xoxe.xoxp-1-Mi0yLTM0MTQwNDE0MDE4"),
    ("Authorization: Bearer 5f00d2c95f00d2c95f00d2c95f00d2c95f00d2c9", "bearer", "5f00d2c95f00d2c95f00d2c95f00d2c95f00d2c9"),
    ("Authorization: SSWS 00abcDEF1234567890xyz", "okta-api", "00abcDEF1234567890xyz"),
    ('{"client_secret": "Qx9~sEcReTvAlUe1234567890abc"}', "client-secret", "Qx9~sEcReTvAlUe1234567890abc"),
    ("grant_type=client_credentials&client_secret=Qx9sEcReT%7EvAlUe12&x=1", "client-secret", "Qx9sEcReT%7EvAlUe12"),
    ('{\\"password\\":\\"hunter2hunter2\\"}', "password", "hunter2hunter2"),
    ("X-API-Key: 1a2b3c4d5e6f7a8b9c0d", "api-key", "1a2b3c4d5e6f7a8b9c0d"),
    ("#access_token=ya29.A0ARrdaM-1234567890&token_type=Bearer", "access-token", "ya29.A0ARrdaM-1234567890"),
    ("refresh_token=0.AXoA1234567890abcdef", "refresh-token", "0.AXoA1234567890abcdef"),
    ("SAMLResponse=PHNhbWxwOlJlc3BvbnNlIElEPSJfMSIvPg%3D%3D&RelayState=x", "saml-response",
     "PHNhbWxwOlJlc3BvbnNlIElEPSJfMSIvPg%3D%3D"),
    ("GET /cb?code=0.AXoA1234567890abcdefghijklmnop&state=xyz", "auth-code", "0.AXoA1234567890abcdefghijklmnop"),
    ("https://admin:S3cretPassw0rd!xyz@app.example.com/cb", "url-password", "S3cretPassw0rd!xyz"),
    ("https://ghp_1234567890abcdefghijABCD@github.com/x.git", "url-credential", "ghp_1234567890abcdefghijABCD"),
    ("Cookie: session=abcdef123456789; lang=en-US", "cookie", "abcdef123456789"),
    ("Set-Cookie: id=Zx81234567abc; Path=/; HttpOnly", "cookie", "Zx81234567abc"),
    ('{"name": "Authorization", "value": "Bearer abcdefghij0123456789"}', "bearer", "abcdefghij0123456789"),
    ('"token": "Bearer abcdef0123456789abcd"', "bearer", "abcdef0123456789abcd"),
    ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", "private-key",
     "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
])
def test_each_shape_is_found_as_exactly_its_value(text, kind, value):
    [secret] = find_secrets(text)
    assert (secret.kind, secret.value) == (kind, value)
    assert text[secret.start:secret.end] == value


@pytest.mark.parametrize("text", [
    "the password: expired, and the token: Bearer",
    "Bearer token-based authentication failed",
    'WWW-Authenticate: Bearer error="invalid_token", Basic realm="x"',
    "client_secret=<your-client-secret>  password=******** api_key=${API_KEY} token={{token}}",
    "Paste the token: [a 40-character bearer token, fingerprint 5f00d2c9]",
    '{"error": {"code": "Authorization_RequestDenied", "message": "Insufficient privileges"}}',
    "errorCode=E0000011 code=ABC",
    "token_type=Bearer&expires_in=3599",
    "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the client secret value",
])
def test_prose_placeholders_and_hints_are_not_secrets(text):
    assert find_secrets(text) == []
    assert redact_text(text) == text


def test_our_own_wording_never_looks_like_a_secret():
    """The shape pass must never change what we wrote: no knowledge entry, checklist step or help text holds
    anything find_secrets flags."""
    from bot.checklist_defs import load_checklists
    from bot.knowledge import load_knowledge

    texts: list[str] = []
    for entry in load_knowledge().entries():
        texts += [entry.name, entry.label, entry.summary, *entry.causes, *entry.fix, *entry.where, *entry.collect,
                  *entry.refs]
    for definition in load_checklists():
        texts += [definition.title, definition.summary]
        for group in definition.group:
            texts += [group.title, group.intro] + [f"{i.text} {i.detail}" for i in group.item]
    flagged = [(t[:80], [s.kind for s in find_secrets(t)]) for t in texts if find_secrets(t)]
    assert not flagged


def test_the_hint_names_kind_length_and_fingerprint_and_nothing_else():
    [secret] = find_secrets("Authorization: Bearer 5f00d2c95f00d2c95f00d2c95f00d2c95f00d2c9")
    digest = hashlib.sha256(secret.value.encode()).hexdigest()[:8]
    assert secret.hint == f"[a 40-character bearer token, fingerprint {digest}]"
    assert fingerprint(secret.value) == digest
    assert "an 8-character" in find_secrets("password=Ab1!Ab1!")[0].hint
    assert "an 18-character password in a URL" in redact_text("https://admin:S3cretPassw0rd!xyz@app.example.com")


def test_labels_and_words_that_resemble_secrets():
    assert looks_secret("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln") and looks_secret("xoxb-1234567890-abc")
    assert looks_secret("A" * 16 + "1" * 16) and looks_secret("-----BEGIN CERTIFICATE-----")
    assert not looks_secret("prod Entra SCIM 2026") and not looks_secret("okta-scim-token-eu")


# --------------------------------------------------------------------------- properties of the module


@PROPERTY
@given(pasted=pastes())
def test_every_generated_secret_is_found_in_its_paste(pasted):
    from urllib.parse import unquote_plus

    values = [s.value for s in find_secrets(pasted.text)]
    secret = pasted.secrets[0]
    # A trailing full stop is taken for the sentence's; the guarantee is about 12-character runs anyway.
    assert any(secret.rstrip(".") in v or secret.rstrip(".") in unquote_plus(v) for v in values), (pasted.kind, values)


@PROPERTY
@given(pasted=pastes(), around=st.text(max_size=40))
def test_no_12_character_run_survives_however_a_check_mangles_it(pasted, around):
    """Pass 1 of the scrub: the secret as pasted, upper- or lower-cased, URL-encoded or decoded, JSON-escaped,
    cut to 20 characters or glued to a path, is replaced wherever it shows up."""
    secret = pasted.secrets[0]
    scrubber = Scrubber(secrets_in(pasted.text))
    leaks = Leaks([secret])
    for shown in (secret, secret.upper(), secret.lower(), quote(secret, safe=""), quote_plus(secret),
                  json.dumps(secret), secret[3:23], f"/Users401Authorization:Bearer{secret}", f"{around}{secret}{around}"):
        cleaned = scrubber.clean(f"Affected: {shown}.")
        assert not leaks.in_text(cleaned), (pasted.kind, cleaned)


@PROPERTY
@given(pasted=pastes())
def test_a_hint_replaces_the_secret_and_is_stable(pasted):
    cleaned = redact_text(pasted.text)
    assert "fingerprint " in cleaned
    assert redact_text(cleaned) == cleaned  # hints are not secrets
    assert not find_secrets(cleaned)


@PROPERTY
@given(text=st.one_of(hostile_text, pastes().map(lambda p: p.text)))
def test_the_token_finders_of_the_engine_are_covered_by_the_one_notion(text):
    """Whatever the engine checks as a token, the boundary knows as a secret (so it is sealed away)."""
    values = [s.value for s in find_secrets(text)]
    for token in find_jwts(text) + find_bearer_tokens(text):
        assert any(token.rstrip(".") in v or v in token for v in values), token[:40]


@PROPERTY
@given(text=hostile_text)
def test_redaction_never_raises_on_hostile_text(text):
    redact_text(text)
    seal(Report(subject="s", findings=(_finding(text[:3000], text[:3000]),)), text)


def test_pathological_inputs_finish():
    for text in _pathological():
        find_secrets(text)
        redact_text(text)
        Scrubber(secrets_in(text)).clean(text[:5000])


def test_a_secret_that_contains_our_wording_hides_the_whole_field():
    """A pasted 'token' made of a hint's own words: replacing it by its hint would bring it back."""
    secret = "a 40-character bearer token, fingerprint"
    assert Scrubber(secrets_in(secret, whole=True)).clean(f"before {secret} after") == HIDDEN


# --------------------------------------------------------------------------- the sealed report


def test_seal_scrubs_every_field_and_marks_the_secret_seen():
    token = "5f00d2c95f00d2c95f00d2c95f00d2c95f00d2c9"
    raw = Report(subject="s", inputs=("domain_list",), findings=(Finding(
        code="domains-invalid", severity=Severity.FAIL, title=f"t {token}", detail=f"Affected: Bearer{token}.",
        fix=(f"Remove {token.upper()}",), refs=(f"https://x.example.com/?t={token}",),
        facts={"entries": token[:20], token: "v"}),))
    safe = seal(raw, f"example.com Authorization: Bearer {token}")
    assert isinstance(safe, SafeReport) and safe.secret_seen
    dumped = json.dumps(safe.to_dict())
    assert not Leaks([token]).in_text(dumped)
    assert dumped.count("fingerprint") >= 5
    assert safe.findings[0].code == "domains-invalid" and safe.worst is Severity.FAIL and safe.failed


def test_only_seal_makes_a_safe_report_and_it_cannot_be_changed():
    raw = Report(subject="s")
    with pytest.raises(TypeError):
        SafeReport(raw, object())
    safe = seal(raw)
    with pytest.raises(AttributeError):
        safe._report = raw  # type: ignore[misc]
    with pytest.raises(TypeError, match="SafeReport"):
        require_safe(raw)
    assert require_safe(safe) is safe and SafeReport(raw, _KEY).findings == ()


def test_a_safe_report_crossing_to_a_worker_is_sealed_again():
    safe = seal(Report(subject="s", findings=(_finding("ok"),)))
    again = pickle.loads(pickle.dumps(safe))
    assert isinstance(again, SafeReport) and again == safe


def test_shareable_drops_findings_computed_from_a_token():
    safe = seal(Report(subject="s", findings=(_finding("a"), Finding("token-expired", Severity.FAIL, "b"))))
    assert [f.code for f in safe.shareable().findings] == ["x-check"]


def test_reseal_scrubs_by_shape_what_storage_gives_back():
    stored = [_finding("Affected: client_secret=Qx9~sEcReTvAlUe1234567890abc")]
    safe = reseal(stored, ["domain_list"])
    assert "Qx9~sEcReTvAlUe" not in json.dumps(safe.to_dict()) and safe.inputs == ("domain_list",)


@pytest.mark.parametrize("check", CHECKS)
def test_every_check_comes_back_sealed(check):
    report = run_check(check, "Authorization: Bearer 5f00d2c95f00d2c95f00d2c95f00d2c95f00d2c9 example.com")
    assert isinstance(report, SafeReport) and report.secret_seen
    assert not Leaks(["5f00d2c95f00d2c95f00d2c95f00d2c95f00d2c9"]).in_text(json.dumps(report.to_dict()))


def test_run_check_refuses_an_unknown_check():
    with pytest.raises(ValueError, match="unknown check"):
        run_check("ping", "x")


def test_generators_cover_every_kind_the_issue_names():
    assert set(KINDS) >= {"jwt", "slack", "bearer", "client-secret", "password", "api-key", "access-token",
                          "refresh-token", "id-token", "assertion", "saml", "auth-code", "cookie"}


@PROPERTY
@given(pasted=pastes())
def test_labels_and_environments_holding_a_secret_are_refused_without_an_echo(pasted):
    """Labels and environment names are shown in every reminder: one that holds a secret (even one longer
    than the 80 characters kept, where cutting it would lose the context that marks it) is refused."""
    from bot.credentials import CredentialInputError, clean_environment, clean_label

    for clean in (clean_label, clean_environment):
        with pytest.raises(CredentialInputError) as refused:
            clean(pasted.text)
        assert not Leaks(pasted.secrets).in_text(refused.value.message)
