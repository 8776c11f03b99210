"""Regular expressions that could backtrack polynomially are refused, in the knowledge and in the code.

The engine once removed e-mail addresses from free text with ``\\S+@\\S+\\.\\w+``: on a paste of
``a@a@a@...`` (tests/unit/diagnostics/strategies.py, PATHOLOGICAL) that search took 94 seconds, because
both ``\\S+`` can take the ``@`` and split the run in every way. ``regex_cost.backtracking_problem`` finds
that shape; ``schema.pattern_problem`` refuses it in a knowledge pattern, and the last test below keeps
every regular expression compiled at module level in ``bot/`` free of it.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import bot
from bot.knowledge.regex_cost import MAX_SPLITS, backtracking_problem
from bot.knowledge.patterns import pattern_problem

POLYNOMIAL = [
    r"\S+@\S+\.\w+",  # the one that was slow
    r"\w+\w+x",
    r"token \S+\s?\S+ expired",  # the optional space lets both \S+ meet
    r"(?:assertion|response) .{0,300}?at .{0,300}?failed",  # bounded, but 301 x 301 splits
    r"^<([^>]*)[^<]*>$",
]

LINEAR = [
    r"(?<!\S)[^\s@]+@[^\s@]+\.\w+",  # the address's parts cannot take its "@"
    r"\S+@\S+",  # nothing after the second repeat can fail: the first try matches
    r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*$",  # each turn of the group opens with "-", which [a-z0-9] cannot take
    r"automatic provisioning of user .{0,160}? to app .{0,160}? failed",  # 161 x 161 splits at most
    r"^(?:authorization\s*:\s*)?(?:bearer\b\s*[:=]?\s*)?",  # nothing required after it
    r"redirect uri\s+\w+\s+does not match",  # \s and \w cannot trade
]


@pytest.mark.parametrize("pattern", POLYNOMIAL)
def test_repeats_that_can_trade_characters_are_found(pattern):
    assert backtracking_problem(pattern) is not None


@pytest.mark.parametrize("pattern", LINEAR)
def test_repeats_kept_apart_pass(pattern):
    assert backtracking_problem(pattern) is None


def test_case_folding_is_taken_into_account():
    # [A-Z] and [a-z] cannot trade unless the search ignores case.
    assert backtracking_problem(r"x[a-z]+[A-Z]+y") is None
    assert backtracking_problem(r"x[a-z]+[A-Z]+y", re.IGNORECASE) is not None


def test_the_limit_sits_between_the_widest_shipped_gaps_and_two_maximal_ones():
    assert 161 * 161 <= MAX_SPLITS < 301 * 301


def test_a_knowledge_pattern_of_that_shape_is_refused():
    problem = pattern_problem(r"user \S+@\S+\.\w+ was not found")
    assert problem is not None and "trade characters" in problem


def _modules():
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        if info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def _compiled(module) -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for name, value in vars(module).items():
        if isinstance(value, re.Pattern):
            found.append((name, value))
        elif isinstance(value, type) and value.__module__ == module.__name__:
            found += [(f"{name}.{attr}", v) for attr, v in vars(value).items() if isinstance(v, re.Pattern)]
    return found


def test_no_regular_expression_in_the_code_can_backtrack_polynomially():
    checked, problems = 0, []
    for module in _modules():
        for name, rx in _compiled(module):
            checked += 1
            pattern = rx.pattern.decode("latin-1") if isinstance(rx.pattern, bytes) else rx.pattern  # PEM in bytes
            problem = backtracking_problem(pattern, rx.flags)
            if problem:
                problems.append(f"{module.__name__}.{name}: {rx.pattern!r}: {problem}")
    assert checked > 60, "the walk should see the readers' patterns"
    assert problems == []
