"""The rules a knowledge entry's message pattern must keep: compile, stay bounded, never backtrack badly.

``match_text`` runs every pattern over whatever a user pastes (up to 100 KB and more), so the schema
(``bot.knowledge.schema``) refuses a pattern that breaks these rules at load.
"""

from __future__ import annotations

import re

from .regex_cost import backtracking_problem

try:  # Python 3.11+ keeps the parser private under re
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["pattern_problem", "MAX_GAP", "MAX_PATTERN_LEN"]

#: Widest bounded gap a pattern may use (``.{0,N}``), and the longest pattern we accept.
MAX_GAP = 300
MAX_PATTERN_LEN = 400


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is unfit for ``match_text``, or None when it is fine.

    ``match_text`` runs every pattern over whatever a user pastes (up to 100 KB
    and more), so a pattern must compile and stay linear-ish:

    * quantifiers apply to single characters or classes only; a group may at
      most be optional (``(?:x|y)?``), so nothing nests and no repeated
      alternation can backtrack catastrophically;
    * no unbounded ``.*``/``.+`` gap (use a bounded one such as ``.{0,80}``);
    * no leading quantifier or gap (the engine would try it at every offset);
    * no repeats that can trade characters beyond ``regex_cost.MAX_SPLITS`` ways (two unbounded ones
      such as ``\\S+@\\S+`` never pass): they backtrack polynomially on a run of the shared characters;
    * no back-references or named groups.
    """
    if not pattern or not pattern.strip():
        return "empty pattern"
    if len(pattern) > MAX_PATTERN_LEN:
        return f"pattern longer than {MAX_PATTERN_LEN} characters"
    try:
        re.compile(pattern, re.IGNORECASE)
        parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    except re.error as exc:
        return f"invalid regular expression: {exc}"
    if re.search(r"\(\?P<", pattern):
        return "named groups are not allowed"
    if _starts_with_repeat(list(parsed)):
        return "a pattern must not start with a quantifier or gap; anchor it on literal words"
    return _walk(list(parsed), inside_repeat=False) or backtracking_problem(pattern, re.IGNORECASE)


_REPEATS = {_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT}
_ATOMS = {_sre_c.LITERAL, _sre_c.NOT_LITERAL, _sre_c.ANY, _sre_c.IN, _sre_c.CATEGORY}
if hasattr(_sre_c, "POSSESSIVE_REPEAT"):
    _REPEATS.add(_sre_c.POSSESSIVE_REPEAT)


def _starts_with_repeat(items: list) -> bool:
    if not items:
        return False
    op, av = items[0]
    if op in _REPEATS:
        return True
    if op is _sre_c.SUBPATTERN:
        return _starts_with_repeat(list(av[-1]))
    if op is _sre_c.BRANCH:
        return any(_starts_with_repeat(list(branch)) for branch in av[1])
    return False


def _walk(items: list, *, inside_repeat: bool) -> str | None:
    for op, av in items:
        if op in _REPEATS:
            low, high, sub = av
            if inside_repeat:
                return "nested quantifiers (a repeated group that itself repeats) can backtrack catastrophically"
            unbounded = high == _sre_c.MAXREPEAT
            sub = list(sub)
            if unbounded and any(sub_op is _sre_c.ANY for sub_op, _ in sub):
                return "unbounded '.*' or '.+' gap; use a bounded gap such as .{0,80}"
            if not unbounded and high > MAX_GAP:
                return f"gap wider than {MAX_GAP} characters"
            single_atom = len(sub) == 1 and sub[0][0] in _ATOMS
            if not single_atom and high > 1:
                return "only single characters or classes may repeat; a group may at most be optional (?)"
            problem = _walk(sub, inside_repeat=True)
        elif op is _sre_c.SUBPATTERN:
            problem = _walk(list(av[-1]), inside_repeat=inside_repeat)
        elif op is _sre_c.BRANCH:
            problem = None
            for branch in av[1]:
                problem = problem or _walk(list(branch), inside_repeat=inside_repeat)
        elif op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
            problem = _walk(list(av[1]), inside_repeat=inside_repeat)
        elif op is _sre_c.GROUPREF or (hasattr(_sre_c, "GROUPREF_EXISTS") and op is _sre_c.GROUPREF_EXISTS):
            problem = "back-references are not allowed"
        else:
            problem = None
        if problem:
            return problem
    return None
