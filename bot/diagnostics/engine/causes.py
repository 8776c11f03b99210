"""The cause behind an exact message, when the paste gives evidence for it.

A library's or an IdP's exact message ("state cookie not found", "code not valid", "Correlation failed")
says what was printed, not why: the real cause often lies in the environment around it (a cookie's
SameSite, TLS ended at a proxy, replicas without shared sessions, a user who waited too long at the
IdP). The knowledge says which causes an entry most often has (``Entry.caused_by``, most often first)
and what in a paste is evidence for each (``Entry.cues``: "replicas", "load balancer", "safari",
"http://"). ``cued_cause`` picks the cause the paste supports best: the one with the most distinct
cues present, the more usual one (listed first) on a tie; a cause of one product (``products.py``) only
in a paste that shows that product. ``cause_behind`` makes it a candidate placed right after the
leading finding, so the first two findings say both what was printed and what most likely caused it.

A cue is matched as a whole word or term in the lower-cased paste (``engine.text.lower``), as written:
no plural or other form is guessed, the knowledge lists the forms it means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.diagnostics.engine.candidates import Candidate, Evidence, Paste, from_entry
from bot.knowledge import KnowledgeBase
from bot.knowledge.products import product_of, shown

if TYPE_CHECKING:  # entries are validated records at run time: no pydantic (bot/knowledge/record.py)
    from bot.knowledge import Entry

#: How sure a cued cause is, by the number of distinct cues the paste holds for it: one cue is a hint
#: (a word such as "proxy" or "chrome" appears in many pastes), two or more agree.
CUE_CONFIDENCE = {1: 0.5, 2: 0.6}
MORE_CUES_CONFIDENCE = 0.65

_CUE_RX: dict[str, re.Pattern[str]] = {}


@dataclass(frozen=True)
class CuedCause:
    entry: Entry
    cues: tuple[str, ...]  # the distinct cues found, in the order the entry lists them

    @property
    def confidence(self) -> float:
        return CUE_CONFIDENCE.get(len(self.cues), MORE_CUES_CONFIDENCE)


def cue_pattern(cue: str) -> re.Pattern[str]:
    """``cue`` as a whole word or term: not inside a longer word on either side where the cue has a letter
    or digit at that end ("http://" may be followed by a host, "pods" does not match "ipods")."""
    rx = _CUE_RX.get(cue)
    if rx is None:
        before = r"(?<![a-z0-9])" if cue[0].isalnum() else ""
        after = r"(?![a-z0-9])" if cue[-1].isalnum() else ""
        rx = _CUE_RX[cue] = re.compile(before + re.escape(cue) + after)
    return rx


def cues_in(entry: Entry, lowered: str) -> tuple[str, ...]:
    """The distinct cues of ``entry`` that occur in the lower-cased paste."""
    return tuple(cue for cue in entry.cues if cue in lowered and cue_pattern(cue).search(lowered))


def cued_cause(entry: Entry, lowered: str, kb: KnowledgeBase, *, present: frozenset[str] = frozenset(),
               products: frozenset[str] = frozenset()) -> CuedCause | None:
    """The cause of ``entry`` (among its ``caused_by``) the paste gives the most evidence for, or None when
    it holds no cue of any. ``present``: codes already among the findings, left out (shown already);
    ``products``: those the paste shows (a cause of one product counts only in a paste that shows it)."""
    best: CuedCause | None = None
    for cause_id in entry.caused_by:
        if cause_id in present:
            continue
        cause = kb.get(cause_id)
        if cause is None or not shown(product_of(cause), products):
            continue  # a cause of one product (Entra's token versions) needs a paste that shows it
        found = cues_in(cause, lowered)
        if found and (best is None or len(found) > len(best.cues)):
            best = CuedCause(cause, found)
    return best


def cause_behind(ordered: list[Candidate], paste: Paste, kb: KnowledgeBase) -> tuple[bool, Candidate | None]:
    """For the findings in report order: whether a cause of the lead is shown second, and the candidate to
    add for it (placed right ``after`` the lead; None when it is second already or the paste supports none)."""
    if not ordered:
        return False, None
    lead = ordered[0]
    entry = lead.entry or kb.get(lead.code)
    if entry is None or not entry.caused_by:
        return False, None
    if len(ordered) > 1 and ordered[1].code in entry.caused_by:
        return True, None
    cause = cued_cause(entry, paste.lowered, kb, present=frozenset({lead.code}), products=paste.products)
    if cause is None:
        return False, None
    sure = min(cause.confidence, lead.confidence)
    return True, from_entry(cause.entry, Evidence.CAUSE, lead.position, confidence=sure, after=lead)
