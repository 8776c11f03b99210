"""Patterns tried only where they can start (``bot.diagnostics.text.matches_at``) find what ``finditer`` finds.

The finders of secrets, tokens, URLs and addresses, and the engine's code readers, run their look-behind-led
patterns only at the places the words they open with occur. That is a speed-up only if no match is lost:
each pattern is checked here against its own ``finditer`` over texts glued from the pieces that make
those patterns match, miss and overlap (case variants, the letters IGNORECASE folds, runs too long).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.diagnostics import extract
from bot.diagnostics.engine import codes, quoted
from bot.diagnostics.text import fold, matches_at, occurrences
from bot.knowledge import load_knowledge
from bot.redaction import shapes
from tests.unit.diagnostics.strategies import FUZZ, hostile_text

PIECES = [
    "Bearer ", "BEARER\t", "bearer", "ssws ", "Basic ", "basic", "token", "Token: ", "tokeN=", "authorization: ",
    "Proxy-Authorization=", "AUTHORİZATION:", "client_secret", "CLIENT-SECRET", "ſecret", "secret", "passwd",
    "pass", "api_key", "x-api-key", "subscription-key", "access_token", "id_token", "tokenX", "assertion",
    "client_assertion", "SAMLResponse", "samlrequest", "private_key", "\u212aey", "=", ": ", ":", '"', "'", '\\"',
    " ", "\t", "\n", ".", "-", "_", "x", "9", "é", "ü", "٣", "A1b2C3d4E5f6G7h8I9j0kLmN", "abc~+/def==",
    "eyJhbGciOiJIUzI1NiJ9", ".eyJzdWIiOiIxIn0", ".sig_-", "eyJ", "xoxb-123456-abcdef", "xapp-1-AAAA1234",
    "https://", "HTTPS://", "a+b.c-d://", "://", "user:pa55word@", "tok3nV4lue12345678@", "<https://a.b|lbl>",
    "<", ">", "|", "@", "@@", "example.com", "%", "+", "code=", "?code=", "&CODE=", "cookie: ", "Set-Cookie: ",
    "sid=abcdef123456; ", "…", "<token>", "${SECRET}", "İ", "ı",
    "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789",
    "error code", "Sign-in error code: ", "errorCode", "error_codes\": [", "ResultType=", "50105", "7000215",
    "scimType", "\"scimType\": \"uniqueness\"", "status", "HTTPStatus.", "statuscode: ", "StatusCode=", "http",
    "Forbidden", "Not Found", "Unauthorised", "Too Many Requests", "(", "app.", "application.user_membership.add",
    "user.session.start", "system", "E0000011", "e0000", "401", "4", "5", "x401", "_503", "invalid_client",
    "invalid_grant", "access_denied",
]
glued = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)
MANY = settings(FUZZ, max_examples=200)  # glued texts are short: many of them cost little


def _shape(rx: re.Pattern[str]) -> Callable[[str], Iterable[int]]:
    return lambda text: shapes._STARTS[rx](text, fold(text))


def _same_case(text: str) -> str:
    return text


# The code readers' patterns are written in lower case and run on the fold, but for two that read the paste
# as written.
_AS_WRITTEN = (codes._OKTA_EVENT, codes._REASON_PHRASE)

# (name, pattern, where the code tries it, the text it runs on)
ANCHORED = [(f"shapes.{name}", rx, _shape(rx), _same_case) for name, rx in vars(shapes).items()
            if isinstance(rx, re.Pattern) and rx in shapes._STARTS] + \
           [(f"extract.{name}", rx, extract._STARTS[rx], _same_case) for name, rx in vars(extract).items()
            if isinstance(rx, re.Pattern) and rx in extract._STARTS] + \
           [(f"codes.{name}", rx, codes._STARTS[rx], _same_case if rx in _AS_WRITTEN else fold)
            for name, rx in vars(codes).items() if isinstance(rx, re.Pattern) and rx in codes._STARTS]


def _same(rx: re.Pattern[str], starts: Callable[[str], Iterable[int]], text: str) -> None:
    expected = [(m.span(), m.groups()) for m in rx.finditer(text)]
    assert [(m.span(), m.groups()) for m in matches_at(rx, text, starts(text))] == expected


@pytest.mark.parametrize(("name", "rx", "starts", "on"), ANCHORED, ids=[name for name, *_ in ANCHORED])
@MANY
@given(text=glued)
def test_anchored_patterns_find_what_finditer_finds(name: str, rx: re.Pattern[str], starts, on, text: str) -> None:
    _same(rx, starts, on(text))


@pytest.mark.parametrize(("name", "rx", "starts", "on"), ANCHORED, ids=[name for name, *_ in ANCHORED])
@FUZZ
@given(text=hostile_text)
def test_anchored_patterns_on_hostile_text(name: str, rx: re.Pattern[str], starts, on, text: str) -> None:
    _same(rx, starts, on(text[:5_000]))


@MANY
@given(text=glued)
def test_oauth_error_values_are_tried_where_they_occur(text: str) -> None:
    vocabulary = codes._vocabulary(load_knowledge())
    lowered = fold(text + " " + " ".join(vocabulary.oauth[::3]) + "x_" + vocabulary.oauth[1])
    _same(vocabulary.oauth_rx, lambda t: occurrences(t, vocabulary.oauth), lowered)


# Patterns rewritten to open with their literal, the boundary after it, and the form they replace.
REWRITTEN = [
    (codes._OKTA, re.compile(r"(?<![a-z0-9])(e0000\d{3})\b")),
    (codes._STATUS_NUMBER, re.compile(r"(?<![0-9a-z_])([45]\d\d)(?![0-9a-z_])")),
]


@pytest.mark.parametrize(("rx", "before"), REWRITTEN, ids=[rx.pattern for rx, _ in REWRITTEN])
@MANY
@given(text=glued)
def test_rewritten_patterns_find_what_they_found(rx: re.Pattern[str], before: re.Pattern[str], text: str) -> None:
    text = fold(text)
    assert [(m.span(), m.groups()) for m in rx.finditer(text)] == [(m.span(), m.groups()) for m in before.finditer(text)]


def test_matches_at_skips_starts_inside_an_earlier_match() -> None:
    rx = re.compile(r"ab+")
    assert [m.span() for m in matches_at(rx, "abbb ab", [0, 1, 2, 5, 5])] == [(0, 4), (5, 7)]


def test_fold_keeps_offsets_and_folds_what_ignorecase_folds() -> None:
    text = "SAMLResponse İı\u212aſ É"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "samlresponse iiks É"
    assert fold("ABC") == "abc"


NOUN_PIECES = ["Redirect URI ", "redirect_uri", "REDIRECT-URI", "reply URL ", "Reply address", "Application ",
               "app ", "with identifier ", "WITH IDENTIFIER", "in the directory ", "IN THE DİRECTORY", "'",
               "https://app.example.com/cb", "'x'", " ", "\n", "ſ", "\u212a"]


@MANY
@given(text=st.lists(st.sampled_from(NOUN_PIECES), max_size=12).map("".join))
def test_quoted_nouns_are_read_only_where_their_word_is(text: str) -> None:
    """The facts a code's line quotes: each noun's pattern is searched only when its word is on the line."""
    for rx, _name, word in quoted._NOUNS:
        for match in rx.finditer(text):
            assert word in fold(match.group(0))
