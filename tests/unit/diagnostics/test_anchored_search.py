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
from hypothesis import given
from hypothesis import strategies as st

from bot.diagnostics import extract
from bot.diagnostics.text import fold, matches_at
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
]
glued = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)


def _shape(rx: re.Pattern[str]) -> Callable[[str], Iterable[int]]:
    return lambda text: shapes._STARTS[rx](text, fold(text))


# (name, pattern, where the code tries it)
ANCHORED = [(f"shapes.{name}", rx, _shape(rx)) for name, rx in vars(shapes).items()
            if isinstance(rx, re.Pattern) and rx in shapes._STARTS] + \
           [(f"extract.{name}", rx, extract._STARTS[rx]) for name, rx in vars(extract).items()
            if isinstance(rx, re.Pattern) and rx in extract._STARTS]


def _same(rx: re.Pattern[str], starts: Callable[[str], Iterator[int]], text: str) -> None:
    expected = [(m.span(), m.groups()) for m in rx.finditer(text)]
    assert [(m.span(), m.groups()) for m in matches_at(rx, text, starts(text))] == expected


@pytest.mark.parametrize(("name", "rx", "starts"), ANCHORED, ids=[name for name, _, _ in ANCHORED])
@FUZZ
@given(text=glued)
def test_anchored_patterns_find_what_finditer_finds(name: str, rx: re.Pattern[str], starts, text: str) -> None:
    _same(rx, starts, text)


@pytest.mark.parametrize(("name", "rx", "starts"), ANCHORED, ids=[name for name, _, _ in ANCHORED])
@FUZZ
@given(text=hostile_text)
def test_anchored_patterns_on_hostile_text(name: str, rx: re.Pattern[str], starts, text: str) -> None:
    _same(rx, starts, text[:5_000])


def test_matches_at_skips_starts_inside_an_earlier_match() -> None:
    rx = re.compile(r"ab+")
    assert [m.span() for m in matches_at(rx, "abbb ab", [0, 1, 2, 5, 5])] == [(0, 4), (5, 7)]


def test_fold_keeps_offsets_and_folds_what_ignorecase_folds() -> None:
    text = "SAMLResponse İı\u212aſ É"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "samlresponse iiks É"
    assert fold("ABC") == "abc"
