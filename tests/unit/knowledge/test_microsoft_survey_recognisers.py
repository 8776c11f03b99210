"""Microsoft messages found in this session's survey of public threads, recognised by the knowledge they belong
to.

The messages and near texts of this area are cases in ``tests/data/recognition/microsoft-survey.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations

import pytest

from .recognition import expected_entries

UNRELATED = [
    # Ordinary sentences that share words with the patterns above and must not match them.
    "Please update your password manager before the audit.",
    "The account page is locked for editing while the import runs.",
    "Our state machine moved to the next stage without a mismatch.",
    "Go to the App Service plan and scale it to two instances.",
    "We refresh the dashboard every 5 minutes; the token bucket is full.",
    "The authority on this topic is the RFC; the client library is fine.",
    "The ADFS farm was patched on Sunday and works fine.",
]


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_text_leads_to_none_of_these_entries(kb, text):
    ours = expected_entries("microsoft-survey")
    assert not ours & {match.entry.id for match in kb.match_text(text)}


def test_the_new_entries_are_deep_and_point_at_docs(kb):
    for expected in sorted(expected_entries("microsoft-survey")):
        entry = kb.get(expected)
        assert entry is not None and entry.deep, expected
        assert entry.refs and entry.where and entry.collect, expected
