"""check_token: JWT claims read without verification, expiry bands, and no echo of the secret.

Every report here goes through the redaction boundary as every caller's does (``bot.redaction.seal``
with the whole paste as the secret, what ``bot.checks.run_check("token", ...)`` does), so the no-echo
assertions test what a user can see."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.diagnostics.report import Severity
from bot.diagnostics.token import check_token as _check_token
from bot.diagnostics.token import fingerprint
from bot.redaction import seal
from tests.unit.diagnostics.strategies import (
    FUZZ,
    assert_wellformed,
    b64url,
    codes,
    field_strings,
    finding,
    hostile_text,
    make_jwt,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def check_token(token, **kwargs):
    """The token check as the app runs it: through the boundary, the whole paste being the secret."""
    return seal(_check_token(token, **kwargs), token, whole=True)


OPAQUE = "Xk3pQ9vT2mL8wR5nB7cJ4hF6dS1aZ0yE"


def _windows(text: str, size: int = 12) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def assert_no_leak(report, token: str) -> None:
    """The token, and any 12-character run of its payload or signature, appears in no field."""
    cleaned = token.removeprefix("Bearer ").strip()
    parts = cleaned.split(".")
    secret_parts = parts[1:] if len(parts) >= 3 else [cleaned]
    windows = set().union(*(_windows(p) for p in secret_parts))
    for text in field_strings(report):
        assert cleaned not in text or not cleaned
        assert not any(w in text for w in windows), f"leaked into {text!r}"


def load(corpus, name):
    return json.loads((corpus / "tokens" / name).read_text(encoding="utf-8"))["tokens"]


# --------------------------------------------------------------------------- real samples


def test_keycloak_samples_expired_in_august_2025(corpus, now):
    tokens = load(corpus, "keycloak_osss_tokens.json")
    assert len(tokens) >= 2
    first = check_token(tokens[0]["token"], now=now)
    assert_wellformed(first)
    assert first.secret_seen is True
    expired = finding(first, "token-expired")
    assert expired.severity is Severity.FAIL
    assert expired.facts["expires_at"] == "2025-08-20 20:27:46 UTC"  # exp 1755721666
    assert expired.facts["expiry_source"] == "exp claim"
    assert expired.facts["expired_ago"].startswith("464 days")
    decoded = finding(first, "token-jwt-decoded")
    assert "NOT verified" in decoded.title
    assert decoded.facts["alg"] == "RS256"
    assert decoded.facts["typ"] == "JWT"
    assert decoded.facts["kid"] == "K0lQRi8_05eN9_5SNHnCTs7_b1oST0_WFlTp8dj01Fg"
    assert decoded.facts["issuer"] == "http://localhost:8085/realms/OSSS"
    assert decoded.facts["azp"] == "osss-client"
    assert decoded.facts["subject"] == "8befeac4-8963-49da-a9ac-f310e8d922d8"
    assert decoded.facts["issued_at"] == "2025-08-20 20:22:46 UTC"
    assert finding(first, "token-short-lived").facts["lifetime"] == "5 minutes"

    second = check_token(tokens[1]["token"], now=now)
    decoded = finding(second, "token-jwt-decoded")
    assert decoded.facts["alg"] == "HS512"
    assert finding(second, "token-expired").facts["expires_at"] == "2025-08-20 20:52:46 UTC"


def test_keycloak_sample_was_valid_the_minute_it_was_issued(corpus):
    token = load(corpus, "keycloak_osss_tokens.json")[0]["token"]
    report = check_token(token, now=datetime(2025, 8, 20, 20, 23, 46, tzinfo=timezone.utc))
    f = finding(report, "token-expiring-critical")
    assert f.facts["time_left"] == "4 minutes"


@pytest.mark.parametrize(
    ("label", "expires", "padded"),
    [
        ("v1.0 access token sample", "2018-09-18 02:16:46 UTC", True),
        ("v2.0 access token sample", "2018-09-18 01:42:28 UTC", False),
    ],
)
def test_entra_doc_samples_expired_in_2018(corpus, now, label, expires, padded):
    sample = next(t for t in load(corpus, "entra_access_token_samples_docs.json") if t["label"] == label)
    report = check_token("Bearer " + sample["token"], now=now)
    assert_wellformed(report)
    f = finding(report, "token-expired")
    assert f.facts["expires_at"] == expires
    assert f.facts["expires_at"].startswith("2018-")
    decoded = finding(report, "token-jwt-decoded")
    assert decoded.facts["kid"] == sample["decoded_header"]["kid"]
    assert decoded.facts["audience"] == sample["decoded_payload"]["aud"]
    assert decoded.facts["not_before"].startswith("2018-09-18")
    assert ("token-jwt-padding" in codes(report)) is padded
    assert "token-jwt-bad-base64" not in codes(report)  # the truncated signature still decodes


def test_entra_v1_sample_shows_appid_and_v2_azp(corpus, now):
    samples = {t["label"]: t for t in load(corpus, "entra_access_token_samples_docs.json")}
    v1 = finding(check_token(samples["v1.0 access token sample"]["token"], now=now), "token-jwt-decoded")
    v2 = finding(check_token(samples["v2.0 access token sample"]["token"], now=now), "token-jwt-decoded")
    assert v1.facts["appid"] == "75dbe77f-10a3-4e59-85fd-8c127544f17c"
    assert v2.facts["azp"] == "6e74172b-be56-4843-9ff4-e66a39bb12e3"


@pytest.mark.parametrize("name", ["keycloak_osss_tokens.json", "entra_access_token_samples_docs.json"])
def test_corpus_tokens_never_echoed(corpus, now, name):
    for sample in load(corpus, name):
        token = sample["token"]
        report = check_token(f"Bearer {token}", now=now)
        assert report.secret_seen is True
        assert_no_leak(report, token)
        assert finding(report, "token-jwt-decoded").facts["fingerprint"] == fingerprint(token)


# --------------------------------------------------------------------------- bands


@pytest.mark.parametrize(
    ("left", "code", "severity"),
    [
        (timedelta(days=400), "token-valid", Severity.OK),
        (timedelta(days=30), "token-valid", Severity.OK),
        (timedelta(days=30) - timedelta(seconds=1), "token-expiring-soon", Severity.WARN),
        (timedelta(days=7), "token-expiring-soon", Severity.WARN),
        (timedelta(days=7) - timedelta(seconds=1), "token-expiring-critical", Severity.FAIL),
        (timedelta(seconds=1), "token-expiring-critical", Severity.FAIL),
        (timedelta(0), "token-expired", Severity.FAIL),
        (-timedelta(days=3), "token-expired", Severity.FAIL),
    ],
)
def test_jwt_bands(left, code, severity):
    exp = NOW + left
    iat = min(exp - timedelta(days=180), NOW - timedelta(days=1))
    token = make_jwt({"exp": exp.timestamp(), "iat": iat.timestamp(), "sub": "scim"})
    report = check_token(token, now=NOW)
    f = finding(report, code)
    assert f.severity is severity
    assert report.worst is (Severity.INFO if severity is Severity.OK else severity)  # the decoded-claims note is info
    assert f.facts["expires_at"] == exp.strftime("%Y-%m-%d %H:%M:%S UTC")
    if code == "token-expired":
        assert f.facts["expired_ago"] == ("3 days" if left else "0 seconds")
    else:
        assert f.facts["days_left"] == str(left.days)


def test_naive_now_is_utc():
    token = make_jwt({"exp": int((NOW + timedelta(days=10)).timestamp())})
    aware = check_token(token, now=NOW)
    naive = check_token(token, now=NOW.replace(tzinfo=None))
    assert aware.to_dict() == naive.to_dict()


def test_nbf_in_the_future():
    token = make_jwt({"nbf": int((NOW + timedelta(hours=2)).timestamp()), "exp": int((NOW + timedelta(days=90)).timestamp())})
    report = check_token(token, now=NOW)
    f = finding(report, "token-not-yet-valid")
    assert f.severity is Severity.FAIL
    assert f.facts["not_before"] == "2026-11-28 14:00:00 UTC"
    assert "token-valid" in codes(report)


def test_iat_in_the_future():
    token = make_jwt({"iat": int((NOW + timedelta(days=2)).timestamp()), "exp": int((NOW + timedelta(days=90)).timestamp())})
    assert finding(check_token(token, now=NOW), "token-issued-in-future").severity is Severity.WARN


def test_no_exp_uses_iat_plus_lifetime():
    token = make_jwt({"iat": int((NOW - timedelta(days=170)).timestamp())})
    report = check_token(token, now=NOW)
    assert finding(report, "token-no-exp").severity is Severity.WARN
    f = finding(report, "token-expiring-soon")
    assert f.facts["expiry_source"] == "estimated"
    assert f.facts["days_left"] == "10"


def test_no_exp_prefers_the_given_issue_date():
    token = make_jwt({"iat": int((NOW - timedelta(days=170)).timestamp())})
    report = check_token(token, now=NOW, issued_at=date(2026, 11, 1))
    assert finding(report, "token-valid").facts["expires_at"] == "2027-04-30 00:00:00 UTC"


@pytest.mark.parametrize("bad", ["soon", None, True, 1e400, 10**30, [1]])
def test_unusable_date_claims(bad):
    token = make_jwt({"exp": bad}) if bad != 1e400 else make_jwt({}).replace("e30", b64url(b'{"exp": 1e400}'))
    report = check_token(token, now=NOW)
    assert_wellformed(report)
    assert "token-jwt-bad-claim" in codes(report)
    assert "token-no-exp" in codes(report)


# --------------------------------------------------------------------------- malformed JWTs


def test_alg_none():
    token = make_jwt({"exp": int((NOW + timedelta(days=90)).timestamp())}, header={"alg": "none"}, signature="")
    report = check_token(token, now=NOW)
    assert finding(report, "token-jwt-alg-none").severity is Severity.FAIL
    assert "token-jwt-no-signature" not in codes(report)


def test_missing_alg_and_empty_signature():
    no_alg = make_jwt({"exp": 1}, header={"typ": "JWT"})
    assert "token-jwt-bad-header" in codes(check_token(no_alg, now=NOW))
    cut = make_jwt({"exp": 1}, signature="")
    assert "token-jwt-no-signature" in codes(check_token(cut, now=NOW))


def test_bad_base64_names_the_part():
    good = make_jwt({"exp": 1})
    head, body, sig = good.split(".")
    report = check_token(f"{head}.{body[:-1]}!x.{sig}", now=NOW)
    f = finding(report, "token-jwt-bad-base64")
    assert f.severity is Severity.FAIL
    assert f.facts["parts"] == "payload"
    extra = "A" * ((1 - len(body)) % 4)
    assert (len(body) + len(extra)) % 4 == 1
    one_extra = check_token(f"{head}.{body}{extra}.{sig}", now=NOW)  # length % 4 == 1 cannot be base64
    assert finding(one_extra, "token-jwt-bad-base64").facts["parts"] == "payload"


@pytest.mark.parametrize(("payload", "why"), [(b"not json", "is not JSON"), (b"[1, 2]", "not an object"), (b"\xff\xfe", "UTF-8")])
def test_payload_not_json(payload, why):
    head = b64url(b'{"alg":"RS256"}')
    report = check_token(f"{head}.{b64url(payload)}.c2ln", now=NOW)
    f = finding(report, "token-jwt-not-json")
    assert why in f.detail


@pytest.mark.parametrize("token", ["eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9", "eyJhbGciOiJSUzI1NiJ9.a.b.c"])
def test_wrong_number_of_parts(token):
    assert "token-jwt-malformed" in codes(check_token(token, now=NOW))


def test_jwe_cannot_be_read():
    jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji.XFBoMYUZodetZdvTiFvSkQ"
    report = check_token(jwe, now=NOW)
    assert "token-jwe" in codes(report)
    assert "token-expiry-unknown" in codes(report)
    assert_no_leak(report, jwe)


# --------------------------------------------------------------------------- opaque tokens


def test_opaque_without_date_asks_for_it():
    report = check_token(OPAQUE, now=NOW)
    assert codes(report) == ["token-opaque", "token-expiry-unknown"]
    assert report.worst is Severity.INFO
    assert finding(report, "token-opaque").facts == {"fingerprint": fingerprint(OPAQUE), "length": "32"}
    assert_no_leak(report, OPAQUE)


@pytest.mark.parametrize(
    ("issued", "code", "expires"),
    [
        (date(2026, 11, 1), "token-valid", "2027-04-30 00:00:00 UTC"),
        (date(2026, 6, 10), "token-expiring-soon", "2026-12-07 00:00:00 UTC"),
        (date(2026, 6, 3), "token-expiring-critical", "2026-11-30 00:00:00 UTC"),
        (date(2026, 5, 1), "token-expired", "2026-10-28 00:00:00 UTC"),
        (datetime(2026, 6, 1, 12, 0), "token-expired", "2026-11-28 12:00:00 UTC"),  # exactly 180 days: expired
    ],
)
def test_opaque_with_issue_date_adds_180_days(issued, code, expires):
    report = check_token(OPAQUE, now=NOW, issued_at=issued)
    f = finding(report, code)
    assert f.facts["expires_at"] == expires
    assert f.facts["lifetime_days"] == "180"
    assert f.facts["expiry_source"] == "estimated"


def test_custom_lifetime():
    report = check_token(OPAQUE, now=NOW, issued_at=date(2026, 11, 1), lifetime_days=30)
    assert finding(report, "token-expiring-critical").facts["expires_at"] == "2026-12-01 00:00:00 UTC"


def test_issue_date_in_the_future():
    report = check_token(OPAQUE, now=NOW, issued_at=date(2027, 1, 1))
    assert "token-issued-in-future" in codes(report)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "token-empty"),
        ("Bearer   ", "token-empty"),
        ("••••••••••••", "token-masked"),
        ("************", "token-masked"),
        ("abc123", "token-suspiciously-short"),
        (f"{OPAQUE[:10]} {OPAQUE[10:]}", "token-stray-characters"),
        (f"{OPAQUE[:10]}\u200b{OPAQUE[10:]}", "token-stray-characters"),
    ],
)
def test_paste_problems(value, code):
    report = check_token(value, now=NOW)
    assert code in codes(report)
    assert report.secret_seen is True


@pytest.mark.parametrize("prefix", ["Bearer ", "bearer ", "Authorization: Bearer ", '"', "  "])
def test_prefixes_and_wrapping_do_not_change_the_fingerprint(prefix):
    suffix = '"' if prefix == '"' else ""
    report = check_token(f"{prefix}{OPAQUE}{suffix}", now=NOW)
    assert finding(report, "token-opaque").facts["fingerprint"] == fingerprint(OPAQUE)


def test_fingerprint_is_the_sha256_prefix():
    assert fingerprint(OPAQUE) == hashlib.sha256(OPAQUE.encode()).hexdigest()[:8]
    assert fingerprint("Bearer " + OPAQUE) == fingerprint(OPAQUE)
    assert len(fingerprint("\ud800")) == 8  # lone surrogates do not break it
    assert len(fingerprint(None)) == 8


def test_a_claim_that_copies_the_token_is_hidden():
    # A payload whose subject is a long run of its own signature must not smuggle it out.
    signature = "S1gnatureS1gnatureS1gnature"
    token = make_jwt({"sub": signature, "exp": 1}, signature=signature)
    report = check_token(token, now=NOW)
    assert_no_leak(report, token)
    hint = f"[a {len(token)}-character JSON Web Token, fingerprint {fingerprint(token)}]"
    assert finding(report, "token-jwt-decoded").facts["subject"] == hint


# --------------------------------------------------------------------------- properties

claim_values = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=80),
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=20), max_size=3),
)
payloads = st.dictionaries(
    st.sampled_from(["exp", "iat", "nbf", "iss", "aud", "sub", "appid", "azp", "scope", "x"]), claim_values, max_size=8
)
headers = st.dictionaries(st.sampled_from(["alg", "typ", "kid", "x5t"]), st.one_of(st.text(max_size=40), st.sampled_from(["none", "RS256"])), max_size=4)
signatures = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=400)


@FUZZ
@given(payload=payloads, header=headers, signature=signatures, prefix=st.sampled_from(["", "Bearer ", "bearer  "]))
def test_random_jwts_never_leak(payload, header, signature, prefix):
    token = ".".join((b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode()), signature))
    report = check_token(prefix + token, now=NOW)
    assert_wellformed(report)
    assert report.secret_seen is True
    assert_no_leak(report, token)


@FUZZ
@given(text=hostile_text, issued=st.one_of(st.none(), st.dates(), st.datetimes()))
def test_never_raises_and_never_echoes_any_input(text, issued):
    report = check_token(text, now=NOW, issued_at=issued)
    assert_wellformed(report)
    assert report.secret_seen is True
    cleaned = text.strip()
    windows = _windows(cleaned)
    for field in field_strings(report):
        assert not any(w in field for w in windows)
