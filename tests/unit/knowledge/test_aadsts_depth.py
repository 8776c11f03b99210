"""Every AADSTS code we know gets an answer: a likely cause and a next step, in our own words.

The codes people run into most (those that keep coming back in troubleshooting threads) get more: several
causes ordered by how often they turn out to be the real one, the plain words people use for the problem,
where to look, what to collect and Microsoft's own documentation. Published names come from
shared/corpus/codes/aadsts_error_codes.tsv (Microsoft's reference-error-codes page).
"""

from __future__ import annotations

import re

import pytest

from tests.unit.knowledge.test_wording import assert_own_words, norm

COMMON = """
50011 700054 7000218 50148 65001 90072 50076 50079 530003 53003 700016 70011 50158 9002313 900561 700025
7000112 50107 75011 50105 50020 54005 70008 500011 50194 700051 9002326 50146 90094 7000215 7000222 50012
50126 50034 50057 50053 50055 50058 50059 50132 50133 50173 53000 53001 65004 70000 70001 70002 70003 70019
80012 81010 90009 90019 90100 130004 135011 500021 500113 500112 50000 50001 16000 16001 240001 399284 1000104
""".split()

# Failures inside Microsoft's service: the answer says so and gives the step that helps (retry, service
# health, a support case with the correlation ID), not a configuration change.
TRANSIENT_OR_INTERNAL = "50000 50033 50042 50043 50087 70012 90006 90024 90033 90036 90090 90091 90092 230109".split()

# Interruptions and progress notes, not failures.
NOT_FAILURES = "50140 50199 70016 51005 50136 1000002 90095 50072".split()

ENTRA_PATH = "Entra admin center → Entra ID →"


def aadsts_entries(kb):
    return [e for e in kb.entries() if e.system == "aadsts"]


def test_every_aadsts_entry_is_deep(kb):
    shallow = [e.id for e in aadsts_entries(kb) if not (e.causes and e.fix)]
    assert shallow == []
    assert len(aadsts_entries(kb)) >= 304


def test_every_aadsts_entry_says_where_to_look_in_entra(kb):
    for entry in aadsts_entries(kb):
        assert entry.where, entry.id
        assert any(ENTRA_PATH in step for step in entry.where + entry.fix), entry.id


def test_no_summary_or_cause_copies_the_published_text(kb, aadsts_rows):
    for row in aadsts_rows:
        entry = kb.lookup_code("aadsts", row["code"])
        published = row["name_or_short_message"]
        for sentence in [entry.summary, *entry.causes, *entry.fix]:
            assert_own_words(sentence, published, entry.id)
        if len(norm(published)) >= 30:
            assert all(norm(published) not in norm(step) for step in entry.causes), entry.id


def test_the_guard_would_catch_a_cause_copied_from_the_list(aadsts_rows):
    row = next(r for r in aadsts_rows if r["code"] == "50056")
    with pytest.raises(AssertionError):
        assert_own_words(row["name_or_short_message"].upper(), row["name_or_short_message"], "aadsts-50056")


@pytest.mark.parametrize("code", COMMON)
def test_common_codes_are_answered_in_full(kb, code):
    entry = kb.lookup_code("aadsts", code)
    assert entry is not None, code
    assert len(entry.causes) >= 2, code
    assert entry.fix and entry.where and entry.collect, code
    assert 3 <= len(entry.phrases) <= 8, code
    assert any(ref.startswith("https://learn.microsoft.com/") for ref in entry.refs), code
    assert f"https://login.microsoftonline.com/error?code={code}" in entry.refs, code


def test_no_aadsts_phrase_is_shared_with_another_entry(kb):
    owner: dict[str, str] = {}
    for entry in kb.entries():
        for phrase in entry.phrases:
            owner.setdefault(re.sub(r"\s+", " ", phrase.casefold()).strip(), entry.id)
    for entry in aadsts_entries(kb):
        for phrase in entry.phrases:
            key = re.sub(r"\s+", " ", phrase.casefold()).strip()
            assert owner[key] == entry.id, f"{entry.id} shares {phrase!r} with {owner[key]}"


def test_phrases_are_in_words_not_the_code(kb):
    for entry in aadsts_entries(kb):
        for phrase in entry.phrases:
            assert not re.search(r"aadsts|\d{5,}", phrase, re.IGNORECASE), (entry.id, phrase)


@pytest.mark.parametrize("code", TRANSIENT_OR_INTERNAL)
def test_service_side_failures_say_what_helps(kb, code):
    text = " ".join(kb.lookup_code("aadsts", code).fix).lower()
    assert "support case" in text or "retry" in text, code
    assert "correlation id" in text or "service health" in text, code


@pytest.mark.parametrize("code", NOT_FAILURES)
def test_interruptions_are_not_reported_as_failures(kb, code):
    assert kb.lookup_code("aadsts", code).severity != "fail", code


def test_codes_outside_the_published_list_are_described_as_deeply(kb, aadsts_rows):
    published = {row["code"] for row in aadsts_rows}
    extra = [e for e in aadsts_entries(kb) if e.code not in published]
    assert {"500112", "530003", "700051", "399284"} <= {e.code for e in extra}
    for entry in extra:
        assert entry.deep and entry.where and entry.collect and entry.refs, entry.id
        assert f"https://login.microsoftonline.com/error?code={entry.code}" in entry.refs, entry.id


def test_the_common_environmental_causes_are_covered(kb):
    """Causes outside the app registration that threads keep finding: named where they belong."""
    def causes(code):
        return " ".join(kb.lookup_code("aadsts", code).causes).lower()
    assert "proxy" in causes("50011") and "trailing slash" in causes("50011")
    assert "secret id" in causes("7000215") and "propagated" in causes("7000215")
    assert "clock" in causes("500133")
    assert "/common" in causes("50194")
    assert "proxy" in causes("500021")
    assert "tls" in causes("50192") or "proxy" in causes("50192")


def test_the_managed_device_page_is_recognised_without_its_code(kb):
    # The text Entra's "You can't get there from here" page shows for AADSTS530003.
    page = "You can't get there from here\nYour device is required to be managed to access this resource."
    assert [m.entry.id for m in kb.match_text(page)] == ["aadsts-530003"]
    assert not kb.match_text("Your device is required to restart to finish installing updates.")
