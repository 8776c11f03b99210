"""Microsoft identity outside the AADSTS table: IDX codes, AD FS MSIS codes, MSAL, ASP.NET Core, OWIN, Entra.

The messages and near texts of this area are cases in ``tests/data/recognition/microsoft.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations

import re

import pytest

OUR_FILES = ("identitymodel.toml", "adfs.toml", "microsoft.toml")

PII = "[PII of type 'System.String' is hidden. For more details, see https://aka.ms/IdentityModel/PII.]"


UNRELATED = [
    "AADSTS50011: The redirect URI 'https://app.example.test/cb' specified in the request does not match the "
    "redirect URIs configured for the application.",
    '{"errorCode":"E0000011","errorSummary":"Invalid token provided"}',
    "The quarterly meeting is in progress; we checked the correlation between both metrics.",
    "Our SCIM endpoint returned 409 Conflict for user jdoe@example.test",
    "SAML Response signature could not be verified with the configured IdP certificate.",
    "The state parameter does not match (mismatching_state)",
    "Users are not showing up in the app after assignment.",
    "index 10214 of the array; msisdn 7042 is a phone number field",
]


@pytest.fixture(scope="module")
def ours(kb) -> set[str]:
    return {e.id for e in kb.entries() if kb.source(e.id) in OUR_FILES}


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_text_matches_none_of_our_entries(kb, ours, text):
    assert [m.entry.id for m in kb.match_text(text) if m.entry.id in ours] == []


def test_the_library_wordings_are_told_apart(kb):
    """IDX10603 meant 'key too short' in old versions and 'decryption failed' now; IDX20807 is not IDX20803."""
    old = {m.entry.id for m in kb.match_text("IDX10603: The algorithm: 'HS256' requires the SecurityKey.KeySize "
                                             "to be greater than '128' bits. KeySize reported: '64'.")}
    new = {m.entry.id for m in kb.match_text("IDX10603: Decryption failed. Keys tried: 'x'.")}
    assert "idx-10720" in old and "idx-10609" not in old
    assert "idx-10609" in new and "idx-10720" not in new
    status = {m.entry.id for m in kb.match_text("IDX20807: Unable to retrieve document from: 'https://x.test/m'. "
                                                "HttpResponseMessage: 'StatusCode: 404'")}
    assert status & {"idx-20807", "idx-20803"} == {"idx-20807"}
    assert kb.lookup_code("idx", "IDX10603") is None  # deliberately unaliased: the wording decides


@pytest.mark.parametrize(
    ("system", "code", "expected"),
    [
        ("idx", "IDX10214", "idx-10214"), ("idx", "10215", "idx-10214"), ("idx", "IDX10503", "idx-10511"),
        ("idx", "IDX10501", "idx-10511"), ("idx", "IDX10516", "idx-10511"), ("idx", "IDX10311", "idx-21323"),
        ("idx", "IDX10803", "idx-20803"), ("idx", "IDX20804", "idx-20803"), ("idx", "IDX10653", "idx-10720"),
        ("idx", "IDX12741", "idx-12709"), ("idx", "IDX10708", "idx-12709"), ("idx", "IDX14120", "idx-14100"),
        ("idx", "IDX10631", "idx-10630"), ("idx", "IDX40002", "idx-40001"),
        ("msis", "MSIS7042", "msis-7042"), ("msis", "msis0037", "msis-0037"), ("msis", "9642", "msis-9642"),
    ],
)
def test_codes_and_their_aliases_resolve(kb, system, code, expected):
    entry = kb.lookup_code(system, code)
    assert entry is not None and entry.id == expected


CANON_PREFIXES = ("idx-", "msis-", "msg-adfs-", "msg-entra-", "msg-msal-", "msg-owin-")
CANON_IDS = """idx-10214 idx-10222 idx-10223 idx-10511 idx-20803 idx-21323 msg-adfs-app-pool-stopped
msg-adfs-idp-initiated-disabled msg-adfs-proxy-clock-skew msg-adfs-proxy-crl-check msg-entra-admin-approval-needed
msg-entra-authority-common msg-entra-common-issuer-template msg-entra-easyauth-client-allowlist
msg-entra-graph-token-to-api msg-entra-no-email-claim msg-entra-personal-account msg-entra-saml-audience-spn
msg-entra-saml-cert-expiring msg-entra-v1-v2-issuer msg-msal-interaction-in-progress msg-msal-monitor-window-timeout
msg-msal-no-tokens-found msg-owin-cookie-loss msis-3077 msis-7007 msis-7042""".split()


def test_the_canonical_causes_have_entries_with_their_ids(kb):
    assert len(CANON_IDS) == 27
    assert [i for i in CANON_IDS if kb.get(i) is None] == []


def test_every_entry_of_ours_is_deep_recognisable_and_described_in_words(kb, ours):
    assert len(ours) >= 65
    for entry_id in ours:
        entry = kb.get(entry_id)
        assert entry.deep, entry_id
        assert entry.patterns, entry_id
        assert 5 <= len(entry.phrases) <= 12, entry_id
        assert entry.refs and entry.where and entry.collect, entry_id
        if entry.system in ("idx", "msis"):
            # Until the engine reads IDX/MSIS codes itself, the bare code must be matched as text.
            assert any(re.search(p, f"{entry.label}: x", re.IGNORECASE) for p in entry.patterns), entry_id


def test_no_phrase_of_ours_is_shared_with_another_entry(kb, ours):
    owner: dict[str, str] = {}
    for entry in kb.entries():
        for phrase in entry.phrases:
            owner.setdefault(phrase.lower(), entry.id)
    for entry_id in ours:
        for phrase in kb.get(entry_id).phrases:
            assert owner[phrase.lower()] == entry_id, f"{entry_id} shares {phrase!r} with {owner[phrase.lower()]}"


def test_exception_names_belong_to_one_entry_each(kb, ours):
    seen: dict[str, str] = {}
    for entry in kb.entries():
        for name in entry.exceptions:
            if entry.id in ours or name in seen:
                assert seen.setdefault(name, entry.id) == entry.id, f"{name}: {seen[name]} and {entry.id}"
