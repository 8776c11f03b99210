"""The readers' quick paths give what their plain statements give (bot/diagnostics/engine/query.py, links.py,
bodies.py): each is checked against the plain one over glued pieces that make them differ if they can
(CamelCase turns, the letters ``fold`` makes ASCII, digits of other scripts, separators, base64 runs), over
arbitrary text, and over the pastes and evaluation cases the engine is measured on."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.diagnostics.engine import bodies, links, query
from bot.diagnostics.saml import find
from bot.diagnostics.text import _fold_by_table, fold
from tests.unit.diagnostics.strategies import FUZZ, hostile_text

DATA = Path(__file__).resolve().parents[3] / "data"
MANY = settings(FUZZ, max_examples=300)


def _known_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((DATA / "pastes").glob("*.txt"))]
    for path in sorted((DATA / "eval").glob("*.toml")):
        texts += [case["paste"] for case in tomllib.loads(path.read_text(encoding="utf-8")).get("case", [])]
    return texts


KNOWN = _known_texts()

WORD_PIECES = ["Invalid", "Nonce", "Exception", "SAML", "Response", "ID", "Token", "aB", "Ab", "AB", "ab", "a", "A",
               "1", "12", "123", "4567", "x9", "9X", "_", "-", " ", "\n", ".", "'", "İ", "ı", "\u212a", "ſ", "é", "É",
               "٣٤٥", "Ω", "ω", "doesn't", "getHTTPResponseCode", "snake_case_word", "OAuth2Client"]
glued_words = st.lists(st.sampled_from(WORD_PIECES), max_size=14).map("".join)


@MANY
@given(text=glued_words)
def test_raw_words_split_camel_case_as_the_rule_says(text):
    assert query.raw_words(text) == query._split_words(text)


@FUZZ
@given(text=hostile_text)
def test_raw_words_agree_with_the_rule_on_any_text(text):
    assert query.raw_words(text) == query._split_words(text)


def test_raw_words_agree_with_the_rule_on_the_measured_pastes():
    for text in KNOWN:
        assert query.raw_words(text) == query._split_words(text)


def test_raw_words_examples():
    assert query.raw_words("InvalidNonceException at SAMLResponse id_token 12 123") == \
        ["invalid", "nonce", "exception", "at", "saml", "response", "id", "token", "123"]


LIST_PIECES = ["contoso.com", "a.b", ",", ";", " ", "\n", "\t", "\u00a0", "\u2003", "\x1c", ", ", "; ", ".x", "x",
               "@", "é.fr", ",,", ";;", "."]
glued_list = st.lists(st.sampled_from(LIST_PIECES), max_size=12).map("".join)
_SEPARATORS = re.compile(r"[,;\s]+")


def _plain_last(text: str) -> str:
    return _SEPARATORS.split(text.strip())[-1] if text.strip() else ""


@MANY
@given(text=glued_list)
def test_last_entry_is_the_last_piece_the_separators_leave(text):
    assert links.last_entry(text) == _plain_last(text)


@FUZZ
@given(text=hostile_text)
def test_last_entry_on_any_text(text):
    tail = text[-300:]
    assert links.last_entry(tail) == _plain_last(tail)


B64_PIECES = ["A" * 39, "A", "b" * 20, "+/", "%2B", "_-", "=", " ", "\n", ".", ":", "é", "PHNhbWxw", "0123456789"]
glued_b64 = st.lists(st.sampled_from(B64_PIECES), max_size=8).map("".join)


@MANY
@given(text=glued_b64)
def test_long_base64_found_where_the_plain_search_finds_it(text):
    assert bodies.has_long_base64(text) == (bodies._LONG_BASE64.search(text) is not None)


@FUZZ
@given(text=hostile_text)
def test_long_base64_on_any_text(text):
    assert bodies.has_long_base64(text) == (bodies._LONG_BASE64.search(text) is not None)


def test_long_base64_and_last_entry_on_the_measured_pastes():
    for text in KNOWN:
        assert bodies.has_long_base64(text) == (bodies._LONG_BASE64.search(text) is not None)
        assert links.last_entry(text[-300:]) == _plain_last(text[-300:])


FOLD_PIECES = ["Ab", "Z", "é", "É", "İ", "ı", "\u212a", "ſ", "ß", "ツ", "…", "\U0001f600", "\ud800", "\udfff", " ", "x"]
glued_fold = st.lists(st.sampled_from(FOLD_PIECES), max_size=12).map("".join)


@MANY
@given(text=glued_fold)
def test_fold_through_utf8_bytes_equals_the_table(text):
    assert fold(text) == _fold_by_table(text)


@FUZZ
@given(text=hostile_text)
def test_fold_on_any_text(text):
    assert fold(text) == _fold_by_table(text)


def test_fold_on_the_measured_pastes():
    for text in KNOWN:
        assert fold(text) == _fold_by_table(text)


TOKEN_PIECES = ["A" * 15, "A", "b" * 16, "=", "%3D", "+/", "-_", " ", "\n", ".", ":", "é", "PHNhbWxw"]
glued_tokens = st.lists(st.sampled_from(TOKEN_PIECES), max_size=8).map("".join)


def _same_match(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.span() == b.span())


@MANY
@given(text=glued_tokens, pos=st.integers(0, 200))
def test_the_saml_finder_jumps_to_the_runs_its_search_finds(text, pos):
    # bot/diagnostics/saml/find.py: a run long enough to open a base64 value, from any place on.
    assert _same_match(find.long_token(text, pos), find._LONG_TOKEN_RE.search(text, pos))


@FUZZ
@given(text=hostile_text)
def test_the_saml_finder_runs_on_any_text(text):
    for pos in (0, 1, len(text) // 2):
        assert _same_match(find.long_token(text, pos), find._LONG_TOKEN_RE.search(text, pos))
