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


@pytest.mark.parametrize("name", ["error", "Exception", "has space", "1Bad", "a..b"])
def test_an_exception_must_be_an_identifier_that_is_not_a_plain_word(name) -> None:
    with pytest.raises(ValidationError, match="exception"):
        _entry(exceptions=[name])


def test_qualified_and_underscored_exception_names_are_accepted() -> None:
    names = ["org.opensaml.common.SAMLException", "OneLogin_Saml2_ValidationError"]
    assert _entry(exceptions=names).exceptions == names


@pytest.mark.parametrize("item, ok", [("outcome.reason=INVALID_CREDENTIALS", True), ("reason=x y", False),
                                      ("=VALUE", False), ("reason", False), ("reason=a=b", False)])
def test_log_fields_are_name_equals_value(item, ok) -> None:
    if ok:
        assert _entry(fields=[item]).fields == [item]
    else:
        with pytest.raises(ValidationError, match="field"):
            _entry(fields=[item])


def test_phrases_are_words_not_patterns() -> None:
    with pytest.raises(ValidationError, match="plain words"):
        _entry(phrases=["redirect.{0,20}loop["])
    with pytest.raises(ValidationError, match="longer"):
        _entry(phrases=["word " * 60])


def test_a_prefixed_code_holds_its_digits_only() -> None:
    with pytest.raises(ValidationError, match="5 to 5 digits"):
        _entry(id="idx-1021", code="1021")
    with pytest.raises(ValidationError, match="4 to 4 digits"):
        Entry(id="msis-70420", system="msis", code="70420", name="x", summary="x")


def test_an_entry_found_only_by_phrases_or_names_is_recognisable() -> None:
    Entry(id="msg-x", system="message", name="x", summary="x", phrases=["users see x after login"])
    Entry(id="msg-y", system="message", name="y", summary="y", exceptions=["SomethingFailedException"])
    with pytest.raises(ValidationError, match="needs"):
        Entry(id="msg-z", system="message", name="z", summary="z")


def test_check_entries_take_no_recognisers() -> None:
    with pytest.raises(ValidationError, match="found by id"):
        Entry(id="token-x", system="check", name="x", summary="x", phrases=["a token"])


def test_an_unknown_idx_or_msis_code_gets_a_shallow_note() -> None:
    kb = KnowledgeBase([_entry()])
    note = kb.unknown_code("idx", "IDX10999")
    assert note.id == "idx-10999" and note.label == "IDX10999" and not note.deep and note.refs
    assert kb.unknown_code("msis", "9999").id == "msis-9999"
    with pytest.raises(ValueError):
        kb.unknown_code("idx", "123")
