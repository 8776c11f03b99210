"""Where each secret shape (``shapes``) can start: the places its look-behind-led pattern is tried.

Each function takes the text and its case fold (``bot.diagnostics.text.fold``, same offsets) and returns
places that include every start of a match of its pattern (more do no harm: the pattern decides). A
pattern under IGNORECASE opens with words in any case, so its words are looked for in the fold.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from bot.diagnostics.text import occurrences, run_starts

# A credential's name (``shapes._FIELD_KINDS``) is one run of these (the look-behind rules out a start
# inside a longer run), shorter than _NAME_REACH, and holds one of ``shapes._FIELD_CUES``.
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz_-")
_NAME_REACH = 40
# A URL's scheme: at most 32 of these before its "://".
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+.-")


def jwt(text: str, folded: str) -> Iterable[int]:
    return occurrences(text, ("eyJ",))


def slack(text: str, folded: str) -> Iterable[int]:
    return occurrences(text, ("xox", "xapp-"))


def scheme(text: str, folded: str) -> Iterable[int]:
    return occurrences(folded, ("bearer", "ssws", "basic"))


def authorization(text: str, folded: str) -> Iterable[int]:
    return _and_before(occurrences(folded, ("authorization",)), len("proxy-"))


def auth_code(text: str, folded: str) -> Iterable[int]:
    return occurrences(folded, ("code=",))


def cookie(text: str, folded: str) -> Iterable[int]:
    return _and_before(occurrences(folded, ("cookie",)), len("set-"))


def field_name(folded: str, cues: Iterable[str]) -> Iterable[int]:
    """The start of the run of name characters around each of the ``cues`` words a name holds."""
    return run_starts(folded, cues, _NAME_CHARS, _NAME_REACH)


def url_scheme(text: str, folded: str) -> Iterable[int]:
    return run_starts(folded, ("://",), _SCHEME_CHARS, 32)


def _and_before(starts: Iterable[int], back: int) -> Iterator[int]:
    """Each start, and the place ``back`` characters before it (where an optional word in front begins)."""
    for start in starts:
        yield start
        if start >= back:
            yield start - back
