"""SAML-library, proxy and cookie messages are recognised as the software prints them.

The messages and near texts of this area are cases in ``tests/data/recognition/saml-proxy.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.diagnostics.engine import diagnose
from bot.knowledge.loader import DATA_DIR

# Ordinary text, and real documents that mention the same words without any error in them.
UNRELATED = [
    "User jane@contoso.com signed in successfully and the dashboard loaded.",
    "We rotated the SCIM token yesterday and provisioning is green again.",
    "Set-Cookie: session=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
    "HTTP/1.1 200 OK\nContent-Type: text/html\nX-Frame-Options: DENY",
    "The assertion contains the user's email and display name.",
]


def _first(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


@pytest.mark.parametrize("text", UNRELATED)
def test_ordinary_text_matches_none_of_these_entries(kb, text):
    ours = _our_ids()
    assert [i for i in _first(kb, text) if i in ours] == []


def test_discovery_documents_in_the_corpus_match_none_of_these_entries(kb, corpus):
    ours = _our_ids()
    for path in sorted((corpus / "oidc").glob("*openid-configuration*.json")):
        text = path.read_text(encoding="utf-8")
        assert [i for i in _first(kb, text) if i in ours] == [], path.name


def test_every_canonical_cause_of_this_area_has_its_entry(kb):
    canon = """msg-saml-acs-body-not-parsed msg-saml-acs-not-registered msg-saml-authn-instant-too-old
    msg-saml-binding-not-enabled msg-saml-decrypt-failed msg-saml-sp-unknown-to-idp msg-saml-sp-url-misdetected
    msg-idp-signing-cert-rollover msg-sso-identifier-mismatch msg-proxy-forwarded-host msg-proxy-header-too-big
    msg-proxy-tls-termination msg-request-header-too-large msg-cookie-name-collision msg-cookie-samesite
    msg-cookie-secure-over-http msg-cookie-stale-shadow msg-cookie-too-large-dropped msg-third-party-cookies-blocked
    msg-session-not-shared msg-session-secret-changed msg-tls-cipher-mismatch msg-tls-untrusted-idp-cert
    msg-jwt-clock-skew msg-client-device-clock""".split()
    missing = [i for i in canon if kb.get(i) is None or not kb.get(i).deep]
    assert missing == []


def test_entries_of_this_area_carry_what_the_ranking_and_the_reader_need(kb):
    phrase_re = re.compile(r"^[\w][\w '’\-/.,:()+&?]*$")
    for entry_id in _our_ids():
        entry = kb.get(entry_id)
        assert entry.deep and entry.refs and entry.where and entry.collect, entry_id
        assert 5 <= len(entry.phrases) <= 12, entry_id
        assert all(phrase_re.match(p) for p in entry.phrases), entry_id
        assert len(entry.name) <= 100 and len(entry.summary) <= 240, entry_id
        assert all(p == p.lower() for p in entry.patterns), entry_id


def test_no_two_entries_share_a_phrase(kb):
    owner: dict[str, str] = {}
    for entry in kb.entries():
        for phrase in entry.phrases:
            key = phrase.casefold()
            assert owner.setdefault(key, entry.id) == entry.id, (phrase, owner[key], entry.id)


def test_a_saml_error_pasted_with_its_log_line_leads_the_diagnosis(now):
    # The whole engine, not only the patterns: the message tier and the text order decide what comes first.
    text = ("2026-11-23 18:41:02 ERROR o.s.s.saml2.provider.service.web.Saml2WebSsoAuthenticationFilter - "
            "org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationException: "
            "The response contained an InResponseTo attribute [ARQ3c2b] but no saved authentication request was found")
    codes = [f.code for f in diagnose(text, now=now).findings]
    assert codes[0] == "msg-saml-inresponseto"


def test_a_nested_saml_status_leads_over_the_generic_error_status(now):
    # node-saml saml.ts prints the top-level status, then the nested one; the engine ranks the generic
    # "IdP returned an error status" entry as an umbrella, so the nested cause comes first.
    text = "SamlStatusError: SAML provider returned Requester error: InvalidNameIDPolicy"
    codes = [f.code for f in diagnose(text, now=now).findings]
    assert codes[:2] == ["msg-saml-invalid-nameid-policy", "msg-saml-status-responder"]


def test_a_proxy_error_page_leads_the_diagnosis(now):
    codes = [f.code for f in diagnose("<html><center><h1>400 Bad Request</h1></center><center>Request Header Or "
                                      "Cookie Too Large</center><hr><center>nginx</center></html>", now=now).findings]
    assert codes[0] == "msg-request-header-too-large"


def _our_ids() -> set[str]:
    ids: set[str] = set()
    for name in ("saml_libraries.toml", "proxies_cookies.toml"):
        with (Path(DATA_DIR) / name).open("rb") as fh:
            ids.update(e["id"] for e in tomllib.load(fh)["entry"])
    return ids
