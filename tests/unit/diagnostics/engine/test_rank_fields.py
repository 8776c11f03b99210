"""The ranker's field weights are module constants (bench/rank_cv.py chooses among them), and the
cross-validation tool can score the ranker on its own (``--ranker-only``)."""

from __future__ import annotations

from bench.accuracy import Case
from bench.rank_cv import evaluate_ranker
from bot.diagnostics.engine import rank
from bot.knowledge import load_knowledge


def _entry(kb):
    return next(e for e in kb.entries() if e.fix and e.causes and e.phrases)


def test_each_field_is_repeated_as_its_constant_says(monkeypatch):
    entry = _entry(load_knowledge())
    monkeypatch.setattr(rank, "FIX_TIMES", 0)
    without = rank._document(entry)
    assert entry.fix[0] not in without and entry.name in without
    monkeypatch.setattr(rank, "FIX_TIMES", 2)
    monkeypatch.setattr(rank, "NAME_TIMES", 0)
    with_fix = rank._document(entry)
    assert with_fix.count(entry.fix[0]) >= 2
    assert entry.name not in with_fix.replace(entry.summary, "")  # the name only where the summary may quote it


def test_the_ranker_alone_answers_a_paste_a_pattern_would_decide():
    # "AADSTS" aside, a known message in words: the whole diagnosis decides it by its pattern; scored alone
    # the ranker must still give an answer (or none), never raise, and mark top-1 and top-2 consistently.
    case = Case(id="t-1", family="symptom", has_code=False, expect=("symptom-redirect-loop",),
                paste="after login the browser keeps bouncing between the app and the IdP, a redirect loop")
    results = evaluate_ranker([case])
    outcome = results.outcomes[0]
    assert outcome.got and outcome.got[0].startswith(("symptom-", "msg-"))
    assert outcome.top2 == ("symptom-redirect-loop" in outcome.got[:2])
    assert not outcome.top1 or outcome.top2
