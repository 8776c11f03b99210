"""Free text ranked against the knowledge: the answer when no code, name or exact message decides.

How it works:

* **Documents**: every knowledge entry a person can run into (not the checks' own finding codes and
  not the engine's notes). Its fields are weighted by repeating them: ``phrases`` (how people say it)
  three times, ``name`` twice, ``summary`` and ``causes`` once.
* **Words**: CamelCase split (``InvalidNonceException`` -> invalid nonce exception), folded to lower
  case, each synonym replaced by its group's first word (``data/lexicon/synonyms.toml``: sign-in, logon
  -> login), stop words dropped, then stemmed with the Snowball English stemmer (PyStemmer).
* **Ranking**: Okapi BM25 (bm25s, k1=1.2, b=0.75) over those words.
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
* **Vendor**: an entry that names one vendor (``aadsts-``, ``msg-entra-``, ``okta-`` ...) is an answer only when
  the paste comes from that vendor. It is left out before the best entries are taken, not after: otherwise
  vendor entries that fit the words best would fill the first places and, once dropped, leave nothing.
* **Symptoms first**: when a symptom entry (the guide's plain-words troubleshooting) scores within
  ``SYMPTOM_MARGIN`` of the best entry, it leads: the paste said a symptom in words and nothing more
  specific was found.

bm25s and PyStemmer take about 165 ms to import, so they are imported on the first paste that needs
ranking, never on the path of a paste with a code; the index of a knowledge base is built once.
"""

from __future__ import annotations

import json
import math
import re
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from bot.diagnostics.engine_candidates import Candidate, Evidence, Paste, from_entry
from bot.diagnostics.engine_phrases import other_vendors, paste_vendor
from bot.diagnostics.engine_text import lower
from bot.knowledge import Entry, KnowledgeBase
from bot.knowledge.lexicon import load_lexicon

CAP = 0.65
STRENGTH_SCALE = 8.0
OFF_TOPIC_STRENGTH = 12.0
THRESHOLD = 0.2
MIN_MATCHED = 2
SYMPTOM_MARGIN = 0.8
MAX_RESULTS = 3
MIN_WORDS = 3
MAX_QUERY_CHARS = 4_000  # a symptom or an error line fits many times over; bounds the work on a log export
_WEIGHTS = (("phrases", 3), ("name", 2), ("summary", 1), ("causes", 1))
_SKIP_SYSTEMS = frozenset({"check", "engine"})
_WORD_SYSTEMS = frozenset({"message", "symptom", "scim"})
_ANY_VENDOR = "*"  # rank() without a vendor filter

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TOKEN = re.compile(r"[a-z][a-z0-9_]+|\d{3,}")
# Words that carry no meaning for telling one problem from another (plus the usual English ones).
_STOP = frozenset("""
a about above after again against all am an and any are aren't as at be because been before being below between
both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from
further had hadn't has hasn't have haven't having he her here hers herself him himself his how i i'm if in into is
isn't it it's its itself just let's me more most mustn't my myself no nor not now of off on once only or other ought
our ours ourselves out over own same she should shouldn't so some such than that that's the their theirs them
themselves then there there's these they this those through to too under until up very was wasn't we were weren't
what when where which while who whom why will with won't would wouldn't you your yours yourself yourselves also
get gets got getting still even really please thanks thank hi hello help anyone someone something anything way
like want need trying try tried see seems seem using use used one two us able know new just via per etc e g ie
""".split())


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    score: float
    confidence: float


class Ranker:
    """The BM25 index of one knowledge base's entries."""

    def __init__(self, kb: KnowledgeBase) -> None:
        import bm25s  # lazily: see the module docstring
        import numpy
        import Stemmer

        self._stemmer = Stemmer.Stemmer("english")
        lexicon = load_lexicon()
        synonyms = lexicon.synonyms
        variants = sorted(synonyms, key=len, reverse=True)
        self._synonyms = synonyms
        # The domain words, stemmed as the paste's words are, to tell SSO text from other chatter.
        self._domain = frozenset(w for phrase in lexicon.domain for w in self.words(phrase, fold=False))
        self._synonym_rx = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, variants)) + r")(?![a-z0-9])")
        # Every entry takes part in the word statistics (so "error" or "login" weigh little), but only
        # the rankable ones can be an answer (the others are masked out of the scores).
        self.entries = [e for e in kb.entries() if e.system not in _SKIP_SYSTEMS]
        corpus = [self.words(_document(entry)) for entry in self.entries]
        self._mask = numpy.array([1.0 if _rankable(e) else 0.0 for e in self.entries], dtype=numpy.float32)
        # The same mask for a paste from each vendor (or none): built once, as it only depends on the entries.
        self._vendor_masks = {vendor: self._mask * _vendor_mask(self.entries, vendor)
                              for vendor in (None, *_VENDOR_IDS)}
        self._vendor_masks[_ANY_VENDOR] = self._mask
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        self._bm25.index(corpus, show_progress=False)
        self._vocab: dict[str, int] = dict(self._bm25.vocab_dict)
        documents = len(corpus)
        frequency: dict[str, int] = {}
        for words in corpus:
            for word in set(words):
                frequency[word] = frequency.get(word, 0) + 1
        # Inverse document frequency (BM25's own form), for the coverage part of the confidence.
        self._idf = {w: math.log(1 + (documents - n + 0.5) / (n + 0.5)) for w, n in frequency.items()}
        self._doc_words = [frozenset(words) for words in corpus]

    def words(self, text: str, *, fold: bool = True) -> list[str]:
        """The stemmed, synonym-folded (unless ``fold`` is false), stop-word-free words of ``text``."""
        folded = lower(_CAMEL.sub(" ", text))
        if fold:
            folded = self._synonym_rx.sub(lambda m: " " + self._synonyms[m.group(0)] + " ", folded)
        tokens = [t for t in _TOKEN.findall(folded) if t not in _STOP]
        return self._stemmer.stemWords(tokens)

    def rank(self, text: str, vendor: str | None = _ANY_VENDOR) -> list[Ranked]:
        """The best entries for ``text`` with their confidence, best first; empty when nothing fits.

        ``vendor`` (what ``paste_vendor`` says of the paste: "entra", "okta" or None) keeps only the entries
        that fit it; by default every rankable entry competes.
        """
        query = [w for w in dict.fromkeys(self.words(text[:MAX_QUERY_CHARS])) if w in self._vocab]
        if not query:
            return []
        on_topic = not self._domain.isdisjoint(query)
        mask = self._vendor_masks.get(vendor)
        if mask is None:
            mask = self._mask * _vendor_mask(self.entries, vendor)
        scores = self._bm25.get_scores(query) * mask
        order = scores.argsort()[::-1][:MAX_RESULTS + 1]
        best = float(scores[order[0]])
        if best <= 0.0:
            return []
        ranked: list[Ranked] = []
        top: float | None = None
        for place, index in enumerate(order[:MAX_RESULTS]):
            score = float(scores[index])
            if score <= 0.0:
                break
            matched = [w for w in query if w in self._doc_words[index]]
            if len(matched) < MIN_MATCHED:
                continue
            if top is None:
                following = float(scores[order[place + 1]]) if place + 1 < len(order) else 0.0
                strength = sum(self._idf.get(w, 0.0) for w in matched)
                if not on_topic and strength < OFF_TOPIC_STRENGTH:
                    return []  # no word of sign-in or provisioning, and no strong match: not ours to guess
                lead = 1.0 - following / score
                top = CAP * (1.0 - math.exp(-strength / STRENGTH_SCALE)) * (0.75 + 0.25 * lead)
                confidence = top
            else:
                confidence = top * score / best
            ranked.append(Ranked(self.entries[int(index)], score, confidence))
        return _symptom_first(ranked)


def _symptom_first(ranked: list[Ranked]) -> list[Ranked]:
    if not ranked or ranked[0].entry.system == "symptom":
        return ranked
    for place, item in enumerate(ranked[1:], start=1):
        if item.entry.system == "symptom" and item.score >= SYMPTOM_MARGIN * ranked[0].score:
            lead = Ranked(item.entry, item.score, max(item.confidence, ranked[0].confidence))
            return [lead] + [r for i, r in enumerate(ranked) if i != place]
    return ranked


def _rankable(entry: Entry) -> bool:
    """Messages, symptoms and SCIM behaviours; an entry found by code only when it says in ``phrases`` how
    people describe it (a code's name and summary alone match too much ordinary prose)."""
    if entry.system in _SKIP_SYSTEMS:
        return False
    return entry.system in _WORD_SYSTEMS or entry.code is None or bool(entry.phrases)


def _document(entry: Entry) -> str:
    parts: list[str] = []
    for name, times in _WEIGHTS:
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


def rank_free_text(paste: Paste) -> list[Candidate]:
    """Entries ranked for the paste's words, those at or above THRESHOLD, with their confidence."""
    if _is_json(paste.scan):
        return []
    # The paste as written (not the parameters decoded from its URLs, which are values): its prose.
    prose = _prose(paste.scan[:MAX_QUERY_CHARS * 2])
    if not _has_words(lower(prose)):
        return []
    vendor = paste_vendor(paste.lowered)
    results = ranker(paste.kb).rank(prose, vendor)
    return [from_entry(r.entry, Evidence.RANKED, place, confidence=round(r.confidence, 3))
            for place, r in enumerate(results) if r.confidence >= THRESHOLD]


_VENDOR_IDS = {"okta": ("okta-", "msg-okta-"), "entra": ("msg-entra-", "entra-prov-", "aadsts-")}


def _vendor_mask(entries: list[Entry], vendor: str | None) -> Any:
    import numpy

    return numpy.array([1.0 if _fits_vendor(e, vendor) else 0.0 for e in entries], dtype=numpy.float32)


def _fits_vendor(entry: Entry, vendor: str | None) -> bool:
    """A guess names one vendor's message only when the paste comes from that vendor: free text that
    names neither gets vendor-neutral entries (a recovery checklist must ask which IdP, not assume one)."""
    if vendor is None:
        return not any(entry.id.startswith(prefixes) for prefixes in _VENDOR_IDS.values())
    return not other_vendors(entry, vendor)


# URLs, email addresses and blanked tokens are values the checks read, not words describing a problem.
_VALUES = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]{1,20}://\S+|\S+@\S+\.\w+|\[token\]|\[saml (?:response|message)\]")


def _prose(text: str) -> str:
    return _VALUES.sub(" ", text)


def _is_json(text: str) -> bool:
    stripped = text.strip()
    if not stripped.startswith(("{", "[")) or not stripped.endswith(("}", "]")):
        return False
    try:
        json.loads(stripped)
    except (ValueError, RecursionError):
        return False
    return True


_LETTERS = re.compile(r"[a-z]{3,}")


def _has_words(lowered: str) -> bool:
    """Some words to rank: at least three runs of three letters (binary, numbers and a lone value have none)."""
    found = 0
    for _ in _LETTERS.finditer(lowered, 0, MAX_QUERY_CHARS):
        found += 1
        if found >= MIN_WORDS:
            return True
    return False
