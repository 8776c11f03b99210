"""Free text ranked against the knowledge: the answer when no code, name or exact message decides.

How it works:

* **Documents**: every knowledge entry a person can run into (not the checks' own finding codes and
  not the engine's notes). Its fields are weighted by repeating them (``PHRASES_TIMES`` ... ``FIX_TIMES``):
  ``phrases`` (how people say it) three times, ``name`` twice, ``summary`` and ``causes`` once, ``fix``
  not at all. Each was cross-validated alone with ``bench/rank_cv.py --ranker-only`` (December 2026, values
  0-5): none moved the dev pastes' figures by more than a case or two, the fix steps (once or twice) cost
  five to seven (their words are what to do, not what is seen); ``cues`` and ``exceptions`` as fields too
  (once or twice) changed no dev case.
* **Words**: CamelCase and snake_case split (``InvalidNonceException`` -> invalid nonce exception),
  folded to lower case and stemmed with the Snowball English stemmer (PyStemmer, each word stemmed once
  per process); then each synonym (one or several words) is replaced by its group's first word
  (``data/lexicon/synonyms.toml``: sign-in, logon -> login), matched on the stems, so every form of a
  variant counts without the lexicon listing it ("signs in", "signing in", "logs in" -> login); then stop
  words are dropped, among them what an apostrophe leaves of a contraction ("doesn't" -> doesn).
* **Logs**: a paste that holds routine log lines (a level that reports no problem, INFO, DEBUG, TRACE or
  NOTICE, and no error word) or the frames of a stack trace among other lines is ranked on the other
  lines (prose, error lines, lines with no level), the routine lines' and frames' words counting only at
  ``CONTEXT_WEIGHT`` (``query.split_log``): twenty INFO lines about sessions, redirects and caches, or a
  Spring filter chain's frames, otherwise outweigh the one line that says what went wrong. The lines are
  read up to ``MAX_LOG_CHARS``, so an error near the end of a long log is still read. Measured with
  ``bench/rank_cv.py --wrapped`` (the cases without a code inside ten routine lines of two log styles, or
  followed by a stack trace): on dev, top-1/top-2 from 57-61%/72-77% back to 67-68%/85-88%, near the
  pastes on their own (68%/88%).
* **Ranking**: Okapi BM25 (bm25s, k1=1.2, b=0.75) over those words, plus ``PHRASE_WEIGHT`` times the
  BM25 score of the entry's best phrase in a second index of the phrases alone (a paste that says most
  of one phrase is said the way people describe that problem). The literal words of each of the entry's
  message patterns (``query.pattern_text``: the regex syntax, classes and look-arounds blanked) are phrases of
  it there too (``PATTERN_PHRASES``): a paste that words a known message a little differently, so that the
  pattern misses it, still says most of the message's words (a pattern of fewer than ``PATTERN_MIN_WORDS``
  words, a code's, is none). Measured December 2026: the whole diagnosis on dev one case better at top-1
  and at top-2 (without a code), fresh2 one better at each, the other columns unchanged; the same words in
  the index of whole entries as well (once or twice) did no better. The phrase index grows from about
  3,500 phrases to 5,300: building the indexes takes about 40 ms more (350 ms CPU, once a process), a
  paste's ranking no measurable time more. bm25s builds both indexes; a paste's scores are the sum of its
  words' columns, cut once per word (``columns.Columns``: one ``bincount``, or a dict when the columns are
  very short).
* **Products**: an entry of one product (``bot/knowledge/products.py``: Keycloak, AD FS, ASP.NET, Okta,
  Entra ...) is an answer only when the paste shows that product; it is masked out before the best
  entries are taken.
* **Symptoms said in words**: the symptoms whose patterns matched the paste (``said``) get
  ``SYMPTOM_BOOST`` times the best score on top, and are ordered with the rest.
* **Symptoms first**: when a symptom entry (the guide's plain-words troubleshooting) scores within
  ``SYMPTOM_MARGIN`` of the best entry, it leads: the paste said a symptom in words and nothing more
  specific was found. (Measured without it, December 2026: as many dev cases right as wrong, holdout and
  survey one case better at top-1, the fresh set four worse at top-1 without a code: kept.)
* **Confidence**: BM25 scores have no fixed scale, so the confidence of the best match is built from
  what the paste and the entry share: ``strength``, the summed IDF of the distinct paste words the
  entry holds (rare, specific words such as "inresponseto" or "keycloak" weigh much more than "error"
  or "page"), and how far the entry stands above the next one (``lead = 1 - second/best``):
  ``confidence = CAP * (1 - exp(-strength / STRENGTH_SCALE)) * (0.75 + 0.25 * lead)``; the entries after
  the best get the best one's confidence scaled by their score. CAP (0.65) keeps a ranked guess below
  any exact match. An answer is given when the confidence reaches ``THRESHOLD`` and the entry shares at
  least ``MIN_MATCHED`` words with the paste; otherwise the engine shows its menu.
  ``THRESHOLD`` (0.2, a strength of about 4.5) was chosen on the evaluation cases (bench/accuracy.py)
  and on garbage (lorem ipsum, random bytes, chatter with no SSO content, SCIM resources that are not
  errors, other tools' errors): the garbage reaches a strength of at most about 5, the right answers
  from about 4 up, most above 6. A JSON document is never ranked: its words are keys and values, not a
  description, and the JSON reader has already said what it could about it. Text with no word of
  sign-in or provisioning at all (the ``domain`` list of the lexicon) is answered only when its best
  match is strong (``OFF_TOPIC_STRENGTH``: several rare words in common, as a proxy's own error line
  shares with the entry that describes it).

The constants were chosen on the dev cases; ``bench/rank_cv.py`` cross-validates such a choice (k folds of
the dev cases) and prints the held-back figures; its docstring lists what was measured there and left out.

bm25s and PyStemmer take about 165 ms to import, so they are imported on the first paste that needs
ranking, never on the path of a paste with a code; the index of a knowledge base is built once.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from bot.diagnostics.engine.candidates import UMBRELLAS, Candidate, Evidence, Paste, from_entry
from bot.diagnostics.engine.columns import Columns
from bot.diagnostics.engine.query import MAX_LOG_CHARS, MAX_QUERY_CHARS, has_words, is_json, prose_of, split_log
from bot.diagnostics.engine.query import STOP_WORDS, pattern_text
from bot.diagnostics.engine.query import raw_words as _raw_words
from bot.diagnostics.engine.text import lower
from bot.knowledge import Entry, KnowledgeBase
from bot.knowledge.lexicon import Lexicon, load_lexicon
from bot.knowledge.products import product_of

CAP = 0.65
STRENGTH_SCALE = 8.0
OFF_TOPIC_STRENGTH = 12.0
THRESHOLD = 0.2
MIN_MATCHED = 2
MAX_RESULTS = 3
PHRASE_WEIGHT = 0.5
SYMPTOM_BOOST = 0.25
SYMPTOM_MARGIN = 0.8
PATTERN_PHRASES = True  # the literal words of each message pattern, one more phrase of its entry
PATTERN_MIN_WORDS = 2
SAID_EXEMPT = False
CONTEXT_WEIGHT = 0.2  # a routine log line's words, against 1 for the other lines' (bench/rank_cv.py --wrapped)
# How many times each field of an entry is repeated in its document (a field's weight; 0 leaves it out).
PHRASES_TIMES = 3
NAME_TIMES = 2
SUMMARY_TIMES = 1
CAUSES_TIMES = 1
FIX_TIMES = 0
_SKIP_SYSTEMS = frozenset({"check", "engine"})
_WORD_SYSTEMS = frozenset({"message", "symptom", "scim"})

@dataclass(frozen=True)
class Ranked:
    entry: Entry
    score: float
    confidence: float


class Ranker:
    """The BM25 indexes of one knowledge base's entries: one of whole entries, one of their phrases."""

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon | None = None) -> None:
        import bm25s  # lazily: see the module docstring
        import numpy
        import Stemmer

        self._numpy = numpy
        self._stemmer = Stemmer.Stemmer("english")
        self._stems: dict[str, str] = {}
        lexicon = load_lexicon() if lexicon is None else lexicon
        # Synonyms are matched on words, not on the text: variant words -> the group's first one's words.
        # Synonyms are matched on stems, so every form of a variant counts ("signs in", "signed in", "signing
        # in" -> login) without the lexicon listing each. Forms that stem alike map to the first group's word.
        self._synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for variant, canonical in lexicon.synonyms.items():
            stems = tuple(self._stem(word) for word in _raw_words(variant))
            if stems:
                folded = tuple(self._stem(w) for w in _raw_words(canonical) if w not in STOP_WORDS)
                self._synonyms.setdefault(stems, folded)
        self._synonym_starts: dict[str, int] = {}  # first stem -> the longest variant opening with it
        for words in self._synonyms:
            self._synonym_starts[words[0]] = max(len(words), self._synonym_starts.get(words[0], 0))
        # The domain words, stemmed as the paste's words are, to tell SSO text from other chatter.
        self._domain = frozenset(w for phrase in lexicon.domain for w in self.words(phrase, fold=False))
        # Every entry takes part in the word statistics (so "error" or "login" weigh little), but only
        # the rankable ones can be an answer (the others are masked out of the scores).
        self.entries = [e for e in kb.entries() if e.system not in _SKIP_SYSTEMS]
        corpus = [self.words(_document(entry)) for entry in self.entries]
        self._mask = numpy.array([1.0 if _rankable(e) else 0.0 for e in self.entries], dtype=numpy.float32)
        # Entries of one product are answers only for a paste that shows it (bot/knowledge/products.py).
        owners = [product_of(e) for e in self.entries]
        self._neutral = numpy.array([owner is None for owner in owners], dtype=numpy.float32)
        self._of_product = {name: numpy.array([owner == name for owner in owners], dtype=numpy.float32)
                            for name in set(owners) - {None}}
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        self._bm25.index(corpus, show_progress=False)
        self._vocab: dict[str, int] = dict(self._bm25.vocab_dict)
        self._columns = Columns(self._bm25, self._vocab)
        # The phrases on their own: a paste that says most of one phrase's words is said the way people
        # describe that problem, whatever the rest of the entry holds.
        phrases: list[list[str]] = []
        owner_of_phrase: list[int] = []
        for index, entry in enumerate(self.entries):
            for words in self._phrases_of(entry):
                phrases.append(words)
                owner_of_phrase.append(index)
        self._phrase_bm25 = bm25s.BM25(k1=1.2, b=0.75) if phrases else None
        if self._phrase_bm25 is not None:
            self._phrase_bm25.index(phrases, show_progress=False)
        self._phrase_vocab: dict[str, int] = dict(self._phrase_bm25.vocab_dict) if self._phrase_bm25 else {}
        self._phrase_columns = Columns(self._phrase_bm25, self._phrase_vocab) if self._phrase_bm25 else None
        self._phrase_owner = numpy.array(owner_of_phrase, dtype=numpy.int64)
        runs = sorted(set(owner_of_phrase))
        self._phrase_runs = numpy.array(runs, dtype=numpy.int64)  # entries with phrases, in order
        self._phrase_starts = numpy.array([owner_of_phrase.index(owner) for owner in runs], dtype=numpy.int64)
        documents = len(corpus)
        frequency: dict[str, int] = {}
        for words in corpus:
            for word in set(words):
                frequency[word] = frequency.get(word, 0) + 1
        # Inverse document frequency (BM25's own form), for the coverage part of the confidence.
        self._idf = {w: math.log(1 + (documents - n + 0.5) / (n + 0.5)) for w, n in frequency.items()}
        self._doc_words = [frozenset(words) for words in corpus]
        self._index = {entry.id: index for index, entry in enumerate(self.entries)}

    def _phrases_of(self, entry: Entry) -> list[list[str]]:
        """The words of each of the entry's phrases, then of each of its message patterns (``PATTERN_PHRASES``)
        that says at least PATTERN_MIN_WORDS words (a code's pattern, "msis7054", is no wording) and is not one
        of its phrases already."""
        found = [words for words in map(self.words, entry.phrases) if words]
        if PATTERN_PHRASES:
            for pattern in entry.patterns:
                words = self.words(pattern_text(pattern))
                if len(words) >= PATTERN_MIN_WORDS and words not in found:
                    found.append(words)
        return found

    def words(self, text: str, *, fold: bool = True) -> list[str]:
        """The stemmed, synonym-folded (unless ``fold`` is false), stop-word-free words of ``text``."""
        raw = _raw_words(text)
        if not fold:
            return [self._stem(word) for word in raw if word not in STOP_WORDS]
        return self._fold(raw, self._stems_of(raw))

    def _stems_of(self, raw: list[str]) -> list[str]:
        """Each word's stem: looked up in one pass, stemmed only where not known yet (``_stem``)."""
        known = self._stems.get
        stems = [known(word) for word in raw]
        if None in stems:
            stems = [self._stem(word) if stem is None else stem for word, stem in zip(raw, stems)]
        return stems  # type: ignore[return-value]  # no None is left

    def _stem(self, word: str) -> str:
        stems = self._stems
        stem = stems.get(word)
        if stem is None:
            stem = stems[word] = self._stemmer.stemWord(word)
            if len(stems) > _MAX_STEMS:  # a paste of random words must not grow the cache for ever
                stems.clear()
        return stem

    def _fold(self, raw: list[str], stems: list[str]) -> list[str]:
        """The stems with each synonym variant (one or several words, the longest first) replaced by its group's
        first one, and stop words dropped (a variant may hold some: "log in", "back to the login page")."""
        out: list[str] = []
        starts, synonyms = self._synonym_starts, self._synonyms
        i, n = 0, len(stems)
        while i < n:
            longest = starts.get(stems[i])
            if longest is not None:  # most words open no variant: no slices are tried for them
                canonical, size = _variant(stems, i, min(longest, n - i), synonyms)
                if canonical is not None:
                    out += canonical
                    i += size
                    continue
            if raw[i] not in STOP_WORDS:
                out.append(stems[i])
            i += 1
        return out

    def rank(self, text: str, products: frozenset[str] = frozenset(), said: frozenset[str] = frozenset(),
             context: str = "") -> list[Ranked]:
        """The best entries for ``text`` with their confidence, best first; empty when nothing fits. Entries
        of a product are considered only when ``products`` (those the paste shows) holds it; the entries
        ``said`` (symptoms whose patterns matched) get SYMPTOM_BOOST times the best score on top. The words
        of ``context`` (a log's routine lines, ``split_log``) that ``text`` lacks count at CONTEXT_WEIGHT."""
        words = list(dict.fromkeys(self.words(text[:MAX_QUERY_CHARS])))
        weight: dict[str, float] | None = None  # each word's weight, when some are the context's
        if context:
            ranked = set(words)
            extra = [w for w in dict.fromkeys(self.words(context[:MAX_QUERY_CHARS])) if w not in ranked]
            if extra:
                weight = dict.fromkeys(words, 1.0) | dict.fromkeys(extra, CONTEXT_WEIGHT)
                words += extra
        query = [w for w in words if w in self._vocab]
        if not query:
            return []
        on_topic = not self._domain.isdisjoint(query)
        scores = self._columns.scores(query, len(self.entries), None if weight is None else [weight[w] for w in query]) \
            + PHRASE_WEIGHT * self._phrase_scores(words, weight)
        scores = scores * self._mask * self._allowed(products)
        boosted = [self._index[code] for code in said if code in self._index]
        if boosted:
            lift = SYMPTOM_BOOST * max(float(scores.max()), 1.0)
            for index in boosted:
                if scores[index] > 0.0:
                    scores[index] += lift
        order = self._top(scores, MAX_RESULTS + 1)
        if not order:
            return []
        best = float(scores[order[0]])
        ranked: list[Ranked] = []
        top: float | None = None
        for place, index in enumerate(order[:MAX_RESULTS]):
            score = float(scores[index])
            if score <= 0.0:
                break
            matched = [w for w in query if w in self._doc_words[index]]
            if len(matched) < MIN_MATCHED and not (SAID_EXEMPT and int(index) in boosted):
                continue
            if top is None:
                following = float(scores[order[place + 1]]) if place + 1 < len(order) else 0.0
                strength = sum(self._idf.get(w, 0.0) * (1.0 if weight is None else weight[w]) for w in matched)
                if not on_topic and strength < OFF_TOPIC_STRENGTH:
                    return []  # no word of sign-in or provisioning, and no strong match: not ours to guess
                lead = 1.0 - following / score
                top = CAP * (1.0 - math.exp(-strength / STRENGTH_SCALE)) * (0.75 + 0.25 * lead)
                confidence = top
            else:
                confidence = top * score / best
            ranked.append(Ranked(self.entries[int(index)], score, confidence))
        return _symptom_first(ranked)

    def _top(self, scores: Any, k: int) -> list[int]:
        """The indexes of the ``k`` best positive scores, best first (ties: the earlier entry). Only those are
        sorted (an argsort of all costs more than the scoring), as (-score, index) pairs made by ``tolist``."""
        numpy = self._numpy
        found = numpy.flatnonzero(scores > 0.0)
        if len(found) > 4 * k:
            found = found[numpy.argpartition(scores[found], -k)[-k:]]
        return [i for _, i in sorted(zip([-s for s in scores[found].tolist()], found.tolist()))][:k]

    def _phrase_scores(self, words: list[str], weight: dict[str, float] | None) -> Any:
        """Per entry, the BM25 score of its best phrase for ``words`` (each counted at its ``weight``)."""
        numpy = self._numpy
        best = numpy.zeros(len(self.entries), dtype=numpy.float32)
        found = [w for w in words if w in self._phrase_vocab]
        if self._phrase_columns is None or not found:
            return best
        scores = self._phrase_columns.scores(found, len(self._phrase_owner),
                                             None if weight is None else [weight[w] for w in found])
        # The phrases of one entry are consecutive: the best of each run is one reduceat.
        best[self._phrase_runs] = numpy.maximum.reduceat(scores, self._phrase_starts)
        return best

    def _allowed(self, products: frozenset[str]) -> Any:
        allowed = self._neutral
        for name in products:
            if name in self._of_product:
                allowed = allowed + self._of_product[name]
        return allowed


def _variant(stems: list[str], i: int, longest: int, synonyms: dict[tuple[str, ...], tuple[str, ...]]
             ) -> tuple[tuple[str, ...] | None, int]:
    """The longest synonym variant of at most ``longest`` words opening at ``stems[i]``: (its group's first
    one's words, its length), or (None, 0)."""
    for size in range(longest, 0, -1):
        canonical = synonyms.get(tuple(stems[i:i + size]))
        if canonical is not None:
            return canonical, size
    return None, 0


def _symptom_first(ranked: list[Ranked]) -> list[Ranked]:
    if not ranked or ranked[0].entry.system == "symptom":
        return ranked
    for place, item in enumerate(ranked[1:], start=1):
        if item.entry.system == "symptom" and item.score >= SYMPTOM_MARGIN * ranked[0].score:
            lead = Ranked(item.entry, item.score, max(item.confidence, ranked[0].confidence))
            return [lead] + [r for i, r in enumerate(ranked) if i != place]
    return ranked


# Words: letters and digits (a run of three digits or more); CamelCase and snake_case split first
# (``query.raw_words``).
_MAX_STEMS = 50_000


def _rankable(entry: Entry) -> bool:
    """Messages, symptoms and SCIM behaviours; an entry found by code only when it says in ``phrases`` how
    people describe it (a code's name and summary alone match too much ordinary prose). Never an umbrella
    ("the app returned an error; the reason follows"): it frames a paste, it is no guess at a cause."""
    if entry.system in _SKIP_SYSTEMS or entry.id in UMBRELLAS:
        return False
    return entry.system in _WORD_SYSTEMS or entry.code is None or bool(entry.phrases)


def _field_times() -> tuple[tuple[str, int], ...]:
    """Each field and its repetitions, read when an index is built (bench/rank_cv.py sets them)."""
    return (("phrases", PHRASES_TIMES), ("name", NAME_TIMES), ("summary", SUMMARY_TIMES), ("causes", CAUSES_TIMES),
            ("fix", FIX_TIMES))


def _document(entry: Entry) -> str:
    parts: list[str] = []
    for name, times in _field_times():
        value: Any = getattr(entry, name)
        text = " ".join(value) if isinstance(value, list) else str(value)
        parts += [text] * times
    return "\n".join(parts)


_rankers: "weakref.WeakKeyDictionary[KnowledgeBase, Ranker]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def ranker(kb: KnowledgeBase) -> Ranker:
    with _lock:
        found = _rankers.get(kb)
        if found is None:
            found = _rankers[kb] = Ranker(kb)
        return found


def rank_free_text(paste: Paste, said: frozenset[str] = frozenset()) -> list[Candidate]:
    """Entries ranked for the paste's words, those at or above THRESHOLD, with their confidence. ``said``:
    symptoms whose patterns the paste matched (boosted by SYMPTOM_BOOST)."""
    if is_json(paste.scan):
        return []
    # The paste as written (not the parameters decoded from its URLs, which are values): its prose.
    prose = prose_of(paste.scan[:MAX_LOG_CHARS])
    if not has_words(lower(prose)):
        return []
    text, context = split_log(prose)
    results = ranker(paste.kb).rank(text, paste.products, said, context)
    return [from_entry(r.entry, Evidence.RANKED, place, confidence=round(r.confidence, 3))
            for place, r in enumerate(results) if r.confidence >= THRESHOLD]
