"""What every match of a phrase pattern must hold: the literal text it opens with, and the literal text
it holds somewhere. The phrase reader (``phrases``) searches a pattern only where its opening occurs in
the paste, and only when the text it must hold occurs too; both are read off the parsed pattern.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+: the regex parser is private but stable; used only to read a pattern's literal text
    from re import _constants as _sre_constants
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover - older interpreters
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parser  # type: ignore[no-redef]

_MAX_STARTS = 16


def literal_starts(pattern: str) -> tuple[str, ...]:
    """Like ``literal_prefixes``, but carried on through the alternatives that follow the literal text, as
    long as they are literal too and stay few: ``the (?:app|portal) yet`` -> ("the app yet", "the portal
    yet"). Longer prefixes rule out more patterns before any regex runs."""
    try:
        parsed = list(_sre_parser.parse(pattern))
    except re.error:
        return ()
    starts = _starts_of(parsed, [""])
    if not starts or any(len(start) < 3 for start in starts):
        return literal_prefixes(pattern)
    return tuple(dict.fromkeys(starts))


def _starts_of(items: list[Any], starts: list[str]) -> list[str]:
    """The texts every match of ``items`` starts with, each following one of ``starts``."""
    for op, value in items:
        if op is _sre_constants.LITERAL:
            starts = [start + chr(value) for start in starts]
            continue
        branches: list[list[Any]] | None = None
        if op is _sre_constants.SUBPATTERN:
            branches = [list(value[-1])]
        elif op is _sre_constants.BRANCH:
            branches = [list(branch) for branch in value[1]]
        if branches is None:
            return starts
        whole = [_whole_literal(branch) for branch in branches]
        if any(text is None for text in whole) or len(starts) * len(whole) > _MAX_STARTS:
            # Not all literal: each branch adds its own opening, and the starts end there.
            grown = []
            for branch in branches:
                grown += _starts_of(branch, starts) if len(grown) <= _MAX_STARTS else starts
            return grown if len(grown) <= _MAX_STARTS else starts
        starts = [start + text for start in starts for text in whole if text is not None]
    return starts


def _whole_literal(items: list[Any]) -> str | None:
    """The text ``items`` match when they are literal throughout (alternatives of one text), else None."""
    chars = []
    for op, value in items:
        if op is not _sre_constants.LITERAL:
            return None
        chars.append(chr(value))
    return "".join(chars)


def literal_prefixes(pattern: str) -> tuple[str, ...]:
    """Literals one of which every match starts with: ("reply url specified",) for a plain pattern,
    ("assertion", "response", "token") for one opening with (?:assertion|response|token). Empty when
    some way into the pattern starts with fewer than three fixed characters (then nothing is skipped)."""
    try:
        parsed = list(_sre_parser.parse(pattern))
    except re.error:
        return ()
    return tuple(_leading(parsed) or ())


def _leading(items: list[Any]) -> list[str] | None:
    chars: list[str] = []
    for op, value in items:
        if op is _sre_constants.LITERAL:
            chars.append(chr(value))
            continue
        if chars:
            break
        if op is _sre_constants.SUBPATTERN:
            return _leading(list(value[-1]))
        if op is _sre_constants.BRANCH:
            found: list[str] = []
            for branch in value[1]:
                sub = _leading(list(branch))
                if sub is None:
                    return None
                found += sub
            return found
        return None
    text = "".join(chars)
    return [text] if len(text) >= 3 else None




# -- the text a match must hold ---------------------------------------------------------------

MIN_REQUIRED = 4  # shorter text is in most pastes: it rules out little, and the one scan finds it often
MAX_REQUIRED = 2  # groups kept per pattern: the most telling ones
_REPEATS = (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT, _sre_constants.POSSESSIVE_REPEAT)


def required_literals(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Groups of literal text every match of ``pattern`` holds one of (each group: its alternatives), the
    most telling first (the group whose shortest text is longest), at most MAX_REQUIRED:
    ``(?:assertion|response) (?:has |is )?expired`` -> (("assertion", "response"), ("expired",)). Text in
    an optional part, a look-around or a branch that holds none is not required. A pattern that need
    not hold any text of MIN_REQUIRED characters gives ()."""
    try:
        parsed = list(_sre_parser.parse(pattern))
    except re.error:
        return ()
    groups = dict.fromkeys(_required(parsed))
    return tuple(sorted(groups, key=lambda group: (-min(map(len, group)), group))[:MAX_REQUIRED])


def _required(items: list[Any]) -> list[tuple[str, ...]]:
    """The groups ``items`` (a parsed sequence) must hold: each run of literal characters, and what must
    be in every branch of an alternation, or in a group or a repeat that occurs at least once."""
    groups: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, value in [*items, (None, None)]:  # the sentinel ends the last run
        if op is _sre_constants.LITERAL:
            run.append(chr(value))
            continue
        if len("".join(run).strip()) >= MIN_REQUIRED:  # " the " is as common as "the"
            groups.append(("".join(run),))
        run = []
        if op is _sre_constants.SUBPATTERN:
            groups += _required(list(value[-1]))
        elif op is _sre_constants.ATOMIC_GROUP:
            groups += _required(list(value))
        elif op in _REPEATS and value[0] >= 1:
            groups += _required(list(value[2]))
        elif op is _sre_constants.BRANCH:
            branches = [_required(list(branch)) for branch in value[1]]
            if all(branches):  # each branch holds something: one of their best texts is in every match
                best = [min(branch, key=lambda group: (-min(map(len, group)), group)) for branch in branches]
                groups.append(tuple(sorted({text for group in best for text in group})))
    return groups
