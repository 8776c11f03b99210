"""SCIM behaviour and symptom entries: the text they are recognised by, and how they are kept.

The messages and near texts of this area are cases in ``tests/data/recognition/scim-symptoms.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations

import re

# The canonical ids for SCIM behaviour and symptoms gathered from public threads (issue 10). They
# are stable: other modules and stored findings refer to them.
CANONICAL = """
scim-attribute-namespace-wrong scim-attribute-value-invalid scim-content-type scim-created-user-inactive
scim-deactivation-ignored scim-error-body-not-json scim-filter-ignored scim-invalid-role-value scim-missing-schemas
scim-patch-format-mismatch scim-sso-identifier-mismatch scim-target-unsupported scim-user-deleted-in-target
scim-username-normalisation-conflict scim-web-server-blocks-methods symptom-after-upgrade
symptom-entra-groups-overage symptom-entra-signout-no-redirect symptom-group-members-not-assigned
symptom-logout-idp-session-kept symptom-okta-group-push-same-group symptom-provisioning-cycle-delay
""".split()


def found(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


def test_rfc_sample_requests_raise_no_scim_behaviour(kb, corpus):
    """Well-formed requests and responses from RFC 7643/7644 are not problems."""
    samples = sorted((corpus / "scim" / "rfc_samples").glob("*.json"))
    assert samples
    for path in samples:
        if "error" in path.name:
            continue
        ids = found(kb, path.read_text(encoding="utf-8"))
        assert not [i for i in ids if i.startswith(("scim-", "symptom-")) and not i.startswith("scim-type-")], path.name


# --------------------------------------------------------------------------- how the entries are kept


def test_the_canonical_ids_exist_with_patterns_and_depth(kb):
    for entry_id in CANONICAL:
        entry = kb.get(entry_id)
        assert entry is not None, entry_id
        assert entry.deep and entry.patterns and entry.refs, entry_id


def test_there_are_at_least_fifty_symptoms(kb):
    assert len([e for e in kb.entries() if e.system == "symptom"]) >= 50


def test_every_symptom_has_five_to_twelve_phrases(kb):
    for entry in kb.entries():
        if entry.system == "symptom":
            assert 5 <= len(entry.phrases) <= 12, (entry.id, len(entry.phrases))


def test_every_scim_behaviour_has_phrases(kb):
    for entry in kb.entries():
        if entry.system == "scim":
            assert len(entry.phrases) >= 4, entry.id


def test_no_phrase_belongs_to_two_entries(kb):
    owner: dict[str, str] = {}
    for entry in kb.entries():
        for phrase in entry.phrases:
            key = re.sub(r"\s+", " ", phrase.lower()).strip()
            assert key not in owner, f"{phrase!r} is in {owner.get(key)} and {entry.id}"
            owner[key] = entry.id


def test_each_symptom_recognises_some_of_its_own_phrases(kb):
    """The patterns and the phrases describe the same problem: at least one phrase triggers the patterns."""
    for entry in kb.entries():
        if entry.system == "symptom":
            assert any(entry.id in found(kb, phrase) for phrase in entry.phrases), entry.id


def test_symptom_names_are_short_titles(kb):
    for entry in kb.entries():
        if entry.system in {"symptom", "scim"}:
            assert len(entry.name) <= 90, entry.id


def test_every_entra_provisioning_code_has_a_cause_and_a_next_step(kb):
    entries = [e for e in kb.entries() if e.system == "entra_provisioning"]
    assert len(entries) >= 25
    for entry in entries:
        assert entry.causes and entry.fix, entry.id


def test_microsofts_provisioning_table_codes_resolve(kb):
    for code in ("WebExceptionProtocolError", "LicenseLimitExceeded", "Timeout", "InsufficientRights"):
        assert kb.lookup_code("entra_provisioning", code) is not None, code


def test_symptom_and_scim_patterns_open_with_a_literal(kb):
    """The engine runs a pattern only when its literal opening occurs in the paste; a pattern without
    one (a leading class, or alternatives sharing under three letters) is run on every paste."""
    from bot.diagnostics.engine.phrases import literal_prefixes

    for entry in kb.entries():
        if entry.system in {"symptom", "scim"}:
            for pattern in entry.patterns:
                assert literal_prefixes(pattern), (entry.id, pattern)
