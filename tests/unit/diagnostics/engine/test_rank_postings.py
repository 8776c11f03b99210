"""Short queries are summed from per-word postings in Python, longer ones with one numpy ``bincount``: both
must give every entry the same float32 score to the bit, or the speed-up would move answers."""

from __future__ import annotations

import numpy
import pytest

from bot.diagnostics.engine.columns import Columns as _Columns
from bot.diagnostics.engine.rank import CONTEXT_WEIGHT, ranker
from bot.knowledge import load_knowledge
from tests.conftest import REPO


@pytest.fixture(scope="module")
def the_ranker():
    return ranker(load_knowledge())


def _queries(the_ranker) -> list[list[str]]:
    """Word lists of every length: each entry's name and phrases, and every eval paste, cut into short
    windows as well as taken whole."""
    texts = [entry.name for entry in the_ranker.entries] + [p for e in the_ranker.entries for p in e.phrases]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((REPO / "tests" / "data" / "pastes").glob("*.txt"))]
    queries: list[list[str]] = []
    for text in texts:
        words = list(dict.fromkeys(the_ranker.words(text)))
        queries.append(words)
        queries += [words[i:i + 3] for i in range(0, len(words), 3)]
    return [q for q in queries if q]


def _check(columns: _Columns, queries: list[list[str]], documents: int) -> int:
    short = 0
    for number, words in enumerate(queries):
        words = [w for w in words if w in columns]
        if not words:
            continue
        # Every third query carries context weights (a log's routine lines), as split_log gives them.
        weights = [1.0 if (number + place) % 3 else CONTEXT_WEIGHT for place, _ in enumerate(words)] \
            if number % 3 == 0 else None
        summed = columns._summed(words, documents, weights)
        counted = columns.bincount(words, documents, weights)
        assert summed.dtype == counted.dtype == numpy.float32
        assert numpy.array_equal(summed, counted), words
        assert numpy.array_equal(columns.scores(words, documents, weights), counted), words
        short += sum(len(columns._rows[w]) for w in words) <= _Columns.SHORT
    return short


def test_summed_postings_equal_the_bincount_for_every_query(the_ranker):
    queries = _queries(the_ranker)
    short = _check(the_ranker._columns, queries, len(the_ranker.entries))
    assert short > 100 and len(queries) - short > 100  # both paths were taken, many times


def test_the_phrase_index_agrees_too(the_ranker):
    short = _check(the_ranker._phrase_columns, _queries(the_ranker), len(the_ranker._phrase_owner))
    assert short > 100
