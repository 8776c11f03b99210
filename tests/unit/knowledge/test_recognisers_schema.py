"""The recogniser fields an entry may declare (exceptions, phrases) and the IDX/MSIS code systems."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.knowledge import KnowledgeBase
from bot.knowledge.schema import Entry


def _entry(**fields) -> Entry:
    base = {"id": "idx-10214", "system": "idx", "code": "10214", "name": "Audience validation failed",
            "summary": "The token's audience is not one the API accepts."}
    return Entry(**(base | fields))


def test_idx_and_msis_codes_are_looked_up_with_or_without_their_prefix() -> None:
    kb = KnowledgeBase([_entry(), Entry(id="msis-7042", system="msis", code="7042", name="Loop detected",
                                        summary="AD FS stopped a sign-in loop.")])
    assert kb.lookup_code("idx", "IDX10214").id == "idx-10214"
    assert kb.lookup_code("idx", "10214").id == "idx-10214"
    assert kb.lookup_code("msis", "msis7042").id == "msis-7042"
    assert kb.get("idx-10214").label == "IDX10214"


def test_an_idx_entry_id_must_follow_its_code() -> None:
    with pytest.raises(ValidationError, match="idx-10214"):
        _entry(id="idx-10999")


def test_exceptions_and_phrases_are_lists_of_distinct_non_empty_items() -> None:
    entry = _entry(exceptions=["SecurityTokenInvalidAudienceException"], phrases=["audience does not match"])
    assert entry.exceptions == ["SecurityTokenInvalidAudienceException"]
    with pytest.raises(ValidationError, match="duplicate"):
        _entry(phrases=["same", "same"])
    with pytest.raises(ValidationError, match="empty"):
        _entry(exceptions=[" "])
