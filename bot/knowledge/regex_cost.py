"""How much a regular expression can backtrack: repeats that can hand characters to one another.

Python's regex engine backtracks. One repeat (``\\S+``) costs at most its length at each place a search
starts; two repeats that can take the same characters (``\\S+@\\S+``: ``@`` is itself a ``\\S``) can split
a run between them in every way, so a search over ``a@a@a@...`` that fails after them costs the run's
length squared at every start: cubic over the paste. A 8 KB paste of that kind took minutes.

``backtracking_problem`` finds such chains: repeats in sequence where each one's first characters can
be taken by the repeats before it, with nothing required between them that those repeats cannot take
(a required ``@`` after ``[^@\\s]+`` ends a chain; an ``@`` after ``\\S+`` does not). A chain costs the
product of its repeats' upper bounds; it is a problem when that product exceeds ``MAX_SPLITS`` (two
bounded gaps such as ``.{0,160}? ... .{0,160}?`` stay under it; two unbounded repeats never do), unless
nothing that can fail follows the chain's second repeat (then the first try succeeds and nothing backtracks).

It reads ``re._parser``'s parse tree (private but stable since Python 3.11). Character classes are
compared on a sample (Latin-1 and a few other characters), enough to tell ``[^@\\s]`` from ``\\S``.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - older interpreters
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

#: The most ways one start of a search may split the text between repeats that can trade characters.
MAX_SPLITS = 40_000

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_SAMPLE = frozenset(chr(c) for c in range(256)) | frozenset("İıſKé中\u2028")
_UNBOUNDED = _c.MAXREPEAT
_CATEGORIES = {
    _c.CATEGORY_DIGIT: str.isdigit,
    _c.CATEGORY_SPACE: str.isspace,
    _c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
}
_NEGATED = {_c.CATEGORY_NOT_DIGIT: _c.CATEGORY_DIGIT, _c.CATEGORY_NOT_SPACE: _c.CATEGORY_SPACE,
            _c.CATEGORY_NOT_WORD: _c.CATEGORY_WORD}


class _Piece:
    """One step of a sequence: the characters it starts with and takes, its shortest length, its most repeats
    (None when it is not a repeat)."""

    __slots__ = ("first", "chars", "least", "most")

    def __init__(self, first: frozenset[str], chars: frozenset[str], least: int, most: int | None) -> None:
        self.first, self.chars, self.least, self.most = first, chars, least, most

    @property
    def repeats(self) -> bool:
        return self.most is not None and self.most > 1


def backtracking_problem(pattern: str | bytes, flags: int = 0) -> str | None:
    """Why ``pattern`` can backtrack polynomially on some input, or None. Raises ``re.error`` when it does
    not compile. A bytes pattern is judged as the same pattern over Latin-1 characters."""
    if isinstance(pattern, bytes):
        pattern = pattern.decode("latin-1")
    fold = bool(flags & re.IGNORECASE) or pattern.startswith("(?i")
    parsed = list(_p.parse(pattern, flags))
    return _check(parsed, fold, at_end=True)


def _check(items: list, fold: bool, *, at_end: bool) -> str | None:
    """``at_end``: nothing required follows this sequence in the whole pattern."""
    pieces = _pieces(items, fold)
    for index, piece in enumerate(pieces):
        if not piece.repeats:
            continue
        splits, second = _chain(pieces, index)
        if second is None:
            continue
        # Nothing that can fail after the chain's second repeat: the first try matches, nothing backtracks.
        free = at_end and all(p.least == 0 for p in pieces[second + 1:])
        if splits > MAX_SPLITS and not free:
            if splits >= _UNBOUNDED:
                return ("two unbounded repeats can trade characters (like \\S+@\\S+), which backtracks "
                        "polynomially; bound them, or put a character between them the first cannot match")
            return (f"repeats that can trade characters allow {splits:,} splits at each start (over "
                    f"{MAX_SPLITS:,}); narrow the gaps")
    for index, (op, av) in enumerate(items):  # what repeats inside groups and alternatives
        inner: list[list] = []
        # A repeated group's body is followed by its next turn; any other group by what follows it.
        ends = at_end and all(_least([item]) == 0 for item in items[index + 1:])
        if op in _REPEATS:
            ends = ends and av[1] <= 1
            inner = [list(av[2])]
        elif op is _c.BRANCH:
            inner = [list(branch) for branch in av[1]]
        elif op is _c.SUBPATTERN:
            inner = [list(av[-1])]
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            inner = [list(av[1])]
        for sequence in inner:
            problem = _check(sequence, fold, at_end=ends)
            if problem:
                return problem
    return None


def _chain(pieces: list[_Piece], start: int) -> tuple[int, int | None]:
    """(product of the bounds, index of the chain's second repeat) for the chain that begins at ``start``;
    the index is None when no second repeat joins it."""
    taken = pieces[start].chars
    splits = _bound(pieces[start].most)
    second: int | None = None
    for index in range(start + 1, len(pieces)):
        piece = pieces[index]
        if piece.repeats and piece.first & taken:
            splits = min(splits * _bound(piece.most), _UNBOUNDED)
            taken = taken | piece.chars
            second = index if second is None else second
        elif piece.least >= 1 and not piece.chars <= taken:
            break  # something required that the repeats so far cannot take: they cannot trade across it
    return splits, second


def _bound(most: int | None) -> int:
    return _UNBOUNDED if most is None or most >= _UNBOUNDED else most + 1


def _pieces(items: list, fold: bool) -> list[_Piece]:
    """The sequence with plain groups laid out in it; an optional group stays one piece (its inside is
    entered only through its first character, and is checked on its own)."""
    out: list[_Piece] = []
    for op, av in items:
        if op is _c.SUBPATTERN:
            out += _pieces(list(av[-1]), fold)
        elif op in _REPEATS:
            low, high, sub = av
            sub = list(sub)
            out.append(_Piece(_first(sub, fold), _chars(sub, fold), low * _least(sub), high))
        else:
            chars = _chars([(op, av)], fold)
            out.append(_Piece(_first([(op, av)], fold), chars, _least([(op, av)]), None))
    return out


def _least(items: list) -> int:
    total = 0
    for op, av in items:
        if op in _REPEATS:
            total += av[0] * _least(list(av[2]))
        elif op is _c.SUBPATTERN:
            total += _least(list(av[-1]))
        elif op is _c.BRANCH:
            total += min(_least(list(branch)) for branch in av[1])
        elif op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN, _c.CATEGORY):
            total += 1
    return total


def _first(items: list, fold: bool) -> frozenset[str]:
    found: frozenset[str] = frozenset()
    for op, av in items:
        if op in _REPEATS:
            found |= _first(list(av[2]), fold)
        elif op is _c.SUBPATTERN:
            found |= _first(list(av[-1]), fold)
        elif op is _c.BRANCH:
            for branch in av[1]:
                found |= _first(list(branch), fold)
        else:
            found |= _chars([(op, av)], fold)
        if _least([(op, av)]) > 0:
            break
    return found


def _chars(items: list, fold: bool) -> frozenset[str]:
    """Every character (of the sample) the items can take."""
    found: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            found |= _folded({chr(av)}, fold)
        elif op is _c.NOT_LITERAL:
            found |= _SAMPLE - _folded({chr(av)}, fold)
        elif op is _c.ANY:
            found |= _SAMPLE - {"\n"}
        elif op is _c.CATEGORY:
            found |= _category(av)
        elif op is _c.IN:
            found |= _in(av, fold)
        elif op in _REPEATS:
            found |= _chars(list(av[2]), fold)
        elif op is _c.SUBPATTERN:
            found |= _chars(list(av[-1]), fold)
        elif op is _c.BRANCH:
            for branch in av[1]:
                found |= _chars(list(branch), fold)
    return frozenset(found)


def _in(av: list, fold: bool) -> frozenset[str]:
    negate, found = False, set()
    for op, value in av:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            found |= _folded({chr(value)}, fold)
        elif op is _c.RANGE:
            found |= _folded({ch for ch in _SAMPLE if value[0] <= ord(ch) <= value[1]}, fold)
        elif op is _c.CATEGORY:
            found |= _category(value)
        else:  # anything unusual: assume it can take every character
            found |= _SAMPLE
    return frozenset(_SAMPLE - found) if negate else frozenset(found)


def _category(category) -> frozenset[str]:
    if category in _NEGATED:
        return _SAMPLE - _category(_NEGATED[category])
    test = _CATEGORIES.get(category)
    return frozenset(ch for ch in _SAMPLE if test(ch)) if test else _SAMPLE


def _folded(chars: set[str], fold: bool) -> set[str]:
    if not fold:
        return chars
    return {other for ch in chars for other in (ch, ch.lower(), ch.upper()) if len(other) == 1}
