"""A BM25 index's scores, gathered per word: the sums ``rank`` builds a paste's scores from."""

from __future__ import annotations

from typing import Any, Mapping

_MAX_POSTINGS = 50_000


class Columns:
    """One BM25 index's per-word scores (bm25s's column-compressed matrix, computed when it built the index),
    cut into one column per word once, so that a paste's scores are only gathered and summed.

    A paste's score for a document is the sum of its words' column values, in the order of the words, each
    times the word's weight when weights are given (float32, as numpy multiplies a float32 column by a
    Python float). ``BM25.get_scores`` sums them with ``numpy.add.at``, several times slower than one
    ``bincount`` over the words' columns; and when the words' columns are short (a handful of words, none
    of them common), adding them up in a dict costs less than numpy's calls. Both add the same float32
    values, converted to float64, in the same order (bincount walks its input in order), so they give the
    same float32 scores to the bit (tests/unit/diagnostics/engine/test_rank_postings.py)."""

    SHORT = 12  # at most this many postings in all: summed in Python (December 2026: ~6.5 against ~7.5 µs;
    #            beyond ~16 postings the bincount wins, at 300 postings 14 against 100-300 µs)

    def __init__(self, bm25: Any, vocab: Mapping[str, int]) -> None:
        import numpy

        self._numpy = numpy
        matrix = bm25.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"].tolist()
        # (bm25s's vocabulary may hold a placeholder word past the matrix's columns: no paste word is it.)
        columns = {word: t for word, t in vocab.items() if t + 1 < len(indptr)}
        self._rows = {word: indices[indptr[t]:indptr[t + 1]] for word, t in columns.items()}
        self._data = {word: data[indptr[t]:indptr[t + 1]] for word, t in columns.items()}
        self._postings: dict[tuple[str, float], list[tuple[int, float]]] = {}  # filled as words are met

    def __contains__(self, word: str) -> bool:
        return word in self._rows

    def scores(self, words: list[str], documents: int, weights: list[float] | None = None) -> Any:
        """Each document's summed score for ``words`` (all in the index), as float32."""
        numpy = self._numpy
        if not words:
            return numpy.zeros(documents, dtype=numpy.float32)
        rows = self._rows
        # More words than SHORT hold more postings than that (each word's column holds one at least): the
        # count is taken only for a few words. Either way the scores are the same (the class docstring).
        if len(words) <= self.SHORT and sum(len(rows[w]) for w in words) <= self.SHORT:
            return self._summed(words, documents, weights)
        return self.bincount(words, documents, weights)

    def bincount(self, words: list[str], documents: int, weights: list[float] | None = None) -> Any:
        numpy, data = self._numpy, self._data
        found = numpy.concatenate([self._rows[w] for w in words])
        if weights is None:
            values = numpy.concatenate([data[w] for w in words])
        else:
            values = numpy.concatenate([data[w] * weight for w, weight in zip(words, weights)])
        return numpy.bincount(found, weights=values, minlength=documents).astype(numpy.float32)

    def _summed(self, words: list[str], documents: int, weights: list[float] | None) -> Any:
        numpy = self._numpy
        total: dict[int, float] = {}
        for place, word in enumerate(words):
            for row, value in self._posting(word, 1.0 if weights is None else weights[place]):
                total[row] = total.get(row, 0.0) + value
        scores = numpy.zeros(documents, dtype=numpy.float64)
        if total:
            scores[list(total)] = list(total.values())
        return scores.astype(numpy.float32)

    def _posting(self, word: str, weight: float) -> list[tuple[int, float]]:
        key = (word, weight)
        posting = self._postings.get(key)
        if posting is None:
            values = self._data[word] if weight == 1.0 else self._data[word] * weight
            posting = self._postings[key] = list(zip(self._rows[word].tolist(), values.tolist()))
            if len(self._postings) > _MAX_POSTINGS:  # weights are 1 or CONTEXT_WEIGHT: bounded by the vocabulary
                self._postings.clear()
        return posting
