"""Choosing a ranking constant without fooling ourselves: k-fold cross-validation on the dev cases.

A constant picked for the best dev figure fits dev's cases; cross-validation says what that way of
picking is worth on cases it did not see. The dev cases are cut in ``K`` folds (by a hash of the case
id, so a case keeps its fold); for each fold the value with the best figure on the other folds is
chosen, then measured on the fold. The folds' figures together estimate the held-out accuracy of
"tune this constant on dev"; the values chosen per fold say whether the choice is stable. Holdout and
survey cases are never read here except as one figure per value (``--figures``), as bench/accuracy.py
prints them.

    .venv/bin/python bench/rank_cv.py --grid rank.PHRASE_WEIGHT=0,0.25,0.5,1
    .venv/bin/python bench/rank_cv.py --figures --set rank.SYMPTOM_MARGIN=0.9
    .venv/bin/python bench/rank_cv.py --wrapped --set rank.CONTEXT_WEIGHT=1.0
    .venv/bin/python bench/rank_cv.py --ranker-only --grid rank.NAME_TIMES=0,1,2,3

``--set`` and ``--grid`` name a module constant of ``bot.diagnostics.engine`` (``rank.THRESHOLD``,
``diagnosis.X``); the ranker's indexes are rebuilt for each value (field weights live in them).
The score a value is chosen by: top-1 plus top-2 hits on the free-text cases (no code) of the folds.

``--ranker-only`` scores the ranker's own answer for each case (``evaluate_ranker``), as if no code, name or
known message had decided first. Most dev pastes are decided by a pattern written after them, so the
whole diagnosis reaches the ranker for fewer than half of them and a ranking change moves dev's figure
by a case or two; the held-out pastes reach it far more often. Scored alone, every dev case without a
code tells how the ranking does, as the held-out cases meet it. It flatters whatever the ranker takes from
the patterns themselves (a pattern written after a dev paste matches it word for word): judge such a change
by the whole diagnosis (no ``--ranker-only``) and the held-out columns.

``--wrapped`` asks how the ranking holds when the paste does not come alone: each case without a code is
set among ten routine log lines (INFO and DEBUG lines of an application log, or logfmt and nginx lines of
a proxy), or followed by the frames of a stack trace, or put between a person's words (a greeting, "no
idea where to look", "we restarted everything"), and the figures are printed per wrapping, beside the
cases on their own. The wrappings are made up here, none written after a case; the words around a paste
should not change the answer.

Ranking ideas measured with this tool and left out (bot/diagnostics/engine/rank.py's constants are what was
kept). Left out because they did no better (December 2026): BM25 per field (one index per field, weighted)
instead of repeating fields; the phrase score scaled by the share of the phrase's IDF the paste covers;
summing an entry's phrase scores instead of taking the best; other k1, b, field repetitions, ``PHRASE_WEIGHT``
and ``SYMPTOM_BOOST`` values (all within a case or two); ranked entries put before a generic HTTP status or
OAuth error found beside them (worse at every threshold). Measured with ``--ranker-only`` and dropped,
December 2026: two neighbouring words as one more term ("redirect loop", "clock skew"), in the phrase index
(one case worse on dev) or in both indexes (dev's ranked answers six better at top-1, but the whole diagnosis
three worse on dev and five worse on the fresh set: the pairs' high IDF moves the confidence too); an entry of
a product the paste shows boosted (x1.1: within a case; x1.2 and more: ten and more worse; demoted, worse too:
the product's name is already one of the paste's rarest words); the product names' own words in the paste
("spring", "okta") counted at 0-0.7 (two to six worse); a negation joined to the word it bears on as one more
term ("not assign": six worse); the person's lines set aside from the lines with an error word or an error's
shape, at 0.3-0.7 (two to four worse: the prose says the symptom); when the two best are of one product, the
best of another product second, or the general entry the first names in ``related`` (within a case);
``SYMPTOM_MARGIN`` 0.7-1.0 and ``THRESHOLD`` 0.1-0.25 again (the whole diagnosis within a case); the phrase
index's own k1 (0.6, 2.0) and b (0.3-1.0), and ``PHRASE_WEIGHT`` 0.35-1.0 once the patterns' words were in it
(within two cases); a share of the paste's words an entry holds, as a factor (Lucene's "coord", to the power
0.25-1: six to ten worse, long pastes carry many words no entry needs); conversational words (greetings,
thanks, "question", "idea", days and times of day) as stop words (one dev case worse, a near tie the changed
word statistics tipped; the held-out columns unchanged); the pattern words counted among the words an entry
shares with the paste (no change); only the 15-40 rarest of a long paste's words (up to five worse); each
entry lifted by 0.1-0.35 times the best score among the entries it names in ``related`` or that name it (two
to five worse); a symptom whose pattern matched exempt from ``MIN_MATCHED`` (no change), and ``MIN_MATCHED`` 1
or 3 (no change); symptom entries lifted (x1.1-1.3) for a paste with no error word or error's shape in it, and
lowered for one with (two to four worse); bm25s's other scoring variants (Robertson, ATIRE, BM25L, BM25+:
within two cases).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.accuracy import Case, Outcome, Results, evaluate, expected_codes, load_cases, splits  # noqa: E402

K = 5


def fold_of(case_id: str) -> int:
    return int(hashlib.sha256(f"fold:{case_id}".encode()).hexdigest()[:8], 16) % K


def _set(name: str, value: Any) -> None:
    module_name, attr = name.rsplit(".", 1)
    module = importlib.import_module(f"bot.diagnostics.engine.{module_name}")
    if not hasattr(module, attr):
        raise SystemExit(f"{name}: no such constant")
    setattr(module, attr, value)
    rank = importlib.import_module("bot.diagnostics.engine.rank")
    rank._rankers.clear()  # the indexes hold the field weights: rebuild them for the new value


def _parse(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _free_text(results: Results, ids: set[str]) -> list[Any]:
    """The outcomes of the real pastes without a code among ``ids`` (the guide's cases are reported apart)."""
    return [o for o in results.outcomes if o.case.id in ids and not o.case.has_code and not o.case.guide]


def _score(results: Results, ids: set[str]) -> tuple[int, int, int]:
    hits = _free_text(results, ids)
    return sum(o.top1 for o in hits) + sum(o.top2 for o in hits), sum(o.top1 for o in hits), len(hits)


def figures(results: Results) -> str:
    rows = []
    for label, where in (("overall", {}), ("without a code", {"has_code": False}),
                         ("symptom", {"family": "symptom"})):
        cells = []
        for split in (*splits(results), None):
            tally = results.tally(split=split, **where)
            cells.append(f"{split or 'all'} {tally.rate('top1'):6.1%} {tally.rate('top2'):6.1%}")
        rows.append(f"  {label:<15} " + "   ".join(cells))
    return "\n".join(rows)


def evaluate_ranker(cases: list[Case]) -> Results:
    """The ranker's own answer for each case, as if no code, name or known message had decided first: the
    paste prepared as the engine prepares it, the symptoms its patterns match passed as ``said``, and the
    ranked entries (those at or above the threshold) as the findings."""
    from datetime import datetime, timezone

    from bot.diagnostics.engine import diagnosis
    from bot.diagnostics.engine.candidates import Collector, Evidence
    from bot.diagnostics.engine.phrases import read_phrases
    from bot.diagnostics.engine.rank import rank_free_text
    from bot.knowledge import load_knowledge

    kb = load_knowledge()
    now = datetime(2025, 6, 1, tzinfo=timezone.utc)
    results = Results()
    for case in cases:
        paste = diagnosis._prepare(case.paste, case.paste, Collector(), kb, now=now, issued_at=None)
        said = frozenset(c.code for c in read_phrases(paste) if c.evidence is Evidence.SYMPTOM)
        got = tuple(c.code for c in rank_free_text(paste, said))[:3]
        right = expected_codes(case)
        results.outcomes.append(Outcome(case, got, bool(got) and got[0] in right, any(g in right for g in got[:2])))
    return results


def cross_validate(cases: list[Case], name: str, values: list[Any], ranker_only: bool = False) -> None:
    dev = [c for c in cases if c.split == "dev"]
    by_value: dict[Any, Results] = {}
    for value in values:
        _set(name, value)
        by_value[value] = evaluate_ranker(dev) if ranker_only else evaluate(dev)
        total, top1, n = _score(by_value[value], {c.id for c in dev})
        print(f"  {name}={value!r}: dev without a code: top-1 {top1}/{n}, top-1+top-2 {total}")
    held_top1 = held_top2 = held_n = 0
    for fold in range(K):
        train = {c.id for c in dev if fold_of(c.id) != fold}
        test = {c.id for c in dev if fold_of(c.id) == fold}
        best = max(values, key=lambda v: (_score(by_value[v], train)[0], -values.index(v)))
        outcomes = _free_text(by_value[best], test)
        held_top1 += sum(o.top1 for o in outcomes)
        held_top2 += sum(o.top2 for o in outcomes)
        held_n += len(outcomes)
        print(f"  fold {fold}: chose {best!r}; on the fold {sum(o.top1 for o in outcomes)}/{len(outcomes)} top-1, "
              f"{sum(o.top2 for o in outcomes)}/{len(outcomes)} top-2")
    print(f"  cross-validated (dev, without a code): top-1 {held_top1 / held_n:.1%}, top-2 {held_top2 / held_n:.1%}")


# Two styles of routine log lines a paste may come among (no error in them; the words a real log has:
# sessions, redirects, callbacks, cookies, caches).
LOGS = {
    "app log": """2026-11-30 09:14:02,118 INFO  [main] Started Application in 6.2 seconds (JVM running for 7.0)
2026-11-30 09:14:05,402 DEBUG [http-nio-8080-exec-1] Loaded configuration from /etc/app/application.yml
2026-11-30 09:14:05,410 INFO  [http-nio-8080-exec-1] GET /dashboard 302 Found in 4 ms
2026-11-30 09:14:05,512 DEBUG [http-nio-8080-exec-2] Redirecting to https://idp.example.com/authorize
2026-11-30 09:14:06,001 INFO  [scheduler-1] Cleaned up 12 expired entries from cache
2026-11-30 09:14:06,220 DEBUG [http-nio-8080-exec-3] Request headers: host=app.example.com, accept=text/html
2026-11-30 09:14:06,301 INFO  [http-nio-8080-exec-3] GET /static/app.js 200 OK in 2 ms
2026-11-30 09:14:06,305 DEBUG [http-nio-8080-exec-4] Using connection pool with 10 connections
2026-11-30 09:14:07,010 INFO  [metrics] heap used 312 MB of 1024 MB, threads 41
2026-11-30 09:14:07,114 DEBUG [http-nio-8080-exec-5] Session attributes updated for request /callback""",
    "proxy log": """time="2026-11-30T09:14:02Z" level=info msg="starting server" addr=":4180"
time="2026-11-30T09:14:03Z" level=debug msg="loaded upstream" upstream="http://127.0.0.1:8080/"
2026/11/30 09:14:05 [notice] 1#1: using the "epoll" event method
2026/11/30 09:14:05 [notice] 1#1: start worker processes
time="2026-11-30T09:14:06Z" level=info msg="request" method=GET path="/oauth2/start" status=302 duration=3ms
time="2026-11-30T09:14:07Z" level=debug msg="cookie written" name="_app_session" size=1864
10.0.0.8 - - [30/Nov/2026:09:14:08 +0000] "GET /favicon.ico HTTP/1.1" 200 318 "-" "Mozilla/5.0"
time="2026-11-30T09:14:09Z" level=info msg="health check" path="/ping" status=200
time="2026-11-30T09:14:10Z" level=debug msg="refreshing provider metadata" issuer="https://idp.example.com"
time="2026-11-30T09:14:11Z" level=info msg="request" method=GET path="/" status=200 duration=11ms""",
}


# The frames of a stack trace after the error (Java and Node), as a paste from an app's log ends.
TRACE = """	at org.springframework.security.web.FilterChainProxy$VirtualFilterChain.doFilter(FilterChainProxy.java:374)
	at org.springframework.security.web.context.SecurityContextHolderFilter.doFilter(SecurityContextHolderFilter.java:82)
	at org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)
	at org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:174)
	at org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)
	at org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)
	at java.base/java.lang.Thread.run(Thread.java:833)
	at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"""

# What people write around what they paste.
CHATTER = {
    "greeting": ("Hi team, has anyone seen this before? Our users started getting it this morning:\n", ""),
    "question": ("Quick question from the platform side. Getting the following and no idea where to look:\n```\n",
                 "\n```\nwe already restarted everything, didn't help"),
    "rollout": ("we just rolled this out to the whole company last week and now this happens, any ideas?\n> ", ""),
}


def in_log(case: Case, log: str) -> Case:
    """The case's paste set among the routine lines: six before it, four after."""
    lines = log.splitlines()
    return replace(case, paste="\n".join(lines[:6] + case.paste.splitlines() + lines[6:]))


def wrapped_figures(cases: list[Case]) -> str:
    free = [c for c in cases if not c.has_code and not c.guide]
    variants: list[tuple[str, list[Case]]] = [("on its own", free)]
    variants += [(f"in the {name}", [in_log(c, log) for c in free]) for name, log in LOGS.items()]
    variants += [("with a stack trace", [replace(c, paste=c.paste + "\n" + TRACE) for c in free])]
    variants += [(f"with a {name}", [replace(c, paste=before + c.paste + after) for c in free])
                 for name, (before, after) in CHATTER.items()]
    rows = []
    for label, chosen in variants:
        results = evaluate(chosen)
        cells = []
        for split in splits(results):
            tally = results.tally(split=split)
            cells.append(f"{split} {tally.rate('top1'):6.1%} {tally.rate('top2'):6.1%}")
        rows.append(f"  {label:<19} " + "   ".join(cells))
    return "without a code (top-1, top-2):\n" + "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE, before anything else")
    parser.add_argument("--grid", help="NAME=V1,V2,...: cross-validate the choice among these values")
    parser.add_argument("--figures", action="store_true", help="print dev, holdout and survey figures (no cases)")
    parser.add_argument("--ranker-only", action="store_true",
                        help="score the ranker's own answers (evaluate_ranker), not the whole diagnosis")
    parser.add_argument("--wrapped", action="store_true",
                        help="figures of the cases without a code set in logs or among a person's words")
    args = parser.parse_args(argv)
    for item in args.set:
        name, _, value = item.partition("=")
        _set(name, _parse(value))
    cases = load_cases()
    if args.grid:
        name, _, values = args.grid.partition("=")
        module_name, attr = name.rsplit(".", 1)
        kept = getattr(importlib.import_module(f"bot.diagnostics.engine.{module_name}"), attr, None)
        cross_validate(cases, name, [_parse(v) for v in values.split(",")], args.ranker_only)
        _set(name, kept)  # the figures below are the engine's as it ships (with any --set)
    if args.wrapped:
        print(wrapped_figures(cases))
    if args.figures or not (args.grid or args.wrapped):
        print(figures(evaluate_ranker(cases) if args.ranker_only else evaluate(cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
