"""The tiers findings are ordered by (``diagnosis`` sorts on them; see its docstring): which kind of evidence a
candidate is, and whether it is a problem or a note; and which findings are shown right after another one
rather than in their own tier (``followed``: an HTTP status after a finding that explains it, our own checks
after the error recognitions they do not explain, one protocol's messages last in a paste of the other)."""

from __future__ import annotations

import re

from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from bot.diagnostics.engine.candidates import UMBRELLAS, Candidate, Evidence, Paste
from bot.diagnostics.report import Severity
from bot.knowledge import KnowledgeBase

if TYPE_CHECKING:  # entries are validated records at run time: no pydantic (bot/knowledge/record.py)
    from bot.knowledge import Entry

# Tiers: lower sorts first among problems (see the docstring of diagnosis.py).
(_TIER_CODE, _TIER_CHECK, _TIER_MESSAGE, _TIER_PAIR, _TIER_OAUTH, _TIER_HTTP, _TIER_UMBRELLA, _TIER_SYMPTOM,
 _TIER_RANKED, _TIER_ENGINE) = range(10)

SCIM_CHECK_PREFIXES = ("scim-url-",)
_OKTA_ID = re.compile(r"^okta-[A-Z]\d{7}$")


_TIERS: dict[tuple[str, Evidence], int] = {}


def tier(candidate: Candidate) -> int:
    key = (candidate.code, candidate.evidence)
    tier = _TIERS.get(key)
    if tier is None:
        if len(_TIERS) > 10_000:  # codes of unknown AADSTS or Okta numbers are unbounded
            _TIERS.clear()
        tier = _TIERS[key] = _tier_of(candidate)
    return tier


def _tier_of(candidate: Candidate) -> int:
    code = candidate.code
    if candidate.evidence in (Evidence.RANKED, Evidence.RELATED, Evidence.CAUSE):
        return _TIER_RANKED
    if code in UMBRELLAS:
        return _TIER_UMBRELLA
    if code.startswith(("aadsts-", "entra-prov-", "scim-type-", "okta-event-", "idx-", "msis-")) or _OKTA_ID.match(code):
        return _TIER_CODE
    if code.startswith(("token-", "domains-", "saml-") + SCIM_CHECK_PREFIXES):
        return _TIER_CHECK
    if code.startswith(("msg-", "okta-msg-", "scim-")) or candidate.evidence in (Evidence.EXCEPTION, Evidence.FIELD):
        return _TIER_MESSAGE
    if code.startswith("redirect-"):
        return _TIER_PAIR
    if code.startswith("oauth-"):
        return _TIER_OAUTH
    if code.startswith("http-"):
        return _TIER_HTTP
    if code.startswith("symptom-"):
        return _TIER_SYMPTOM
    if code.startswith("engine-"):
        return _TIER_ENGINE
    return _TIER_CHECK  # a check we do not know by name yet


def bucket(candidate: Candidate, tier: int) -> int:
    if tier == _TIER_RANKED:
        return 0  # ranked free text is offered as a cause, in the order of its relevance
    severity = candidate.finding.severity
    if candidate.hedged and candidate.evidence is Evidence.CHECK:
        return 3  # a value of another system: a note after all the others
    if severity is Severity.FAIL:
        return 0
    if severity is Severity.WARN:  # printed by the IdP or the server (429, 413 ...): direct evidence, a problem
        return 0 if tier in (_TIER_CODE, _TIER_MESSAGE, _TIER_OAUTH, _TIER_HTTP) else 1
    return 2 if severity is Severity.INFO else 3


# -- followers: findings shown right after another one ---------------------------------------

#: Evidence that does not explain a status: the statuses themselves, umbrellas (they only frame it: "the
#: app returned an error"), guesses (ranked free text and what the engine adds after a lead: naming the
#: status is no proof) and the engine's notes.
_NOT_EXPLAINERS = frozenset({Evidence.HTTP, Evidence.UMBRELLA, Evidence.RANKED, Evidence.RELATED, Evidence.CAUSE,
                             Evidence.ENGINE})


def followed(order: Callable[[Mapping[int, Candidate]], list[Candidate]], paste: Paste) -> list[Candidate]:
    """The candidates in report order once the order rules have set which ones to show right after another
    one. ``order(anchors)`` gives the candidates in report order with ``anchors`` (by ``id``, the one each
    follows) followed: each rule reads the order the ones before it left.

    An HTTP status says that a request failed, rarely why: it follows the first problem whose entry
    explains it (``explains``) rather than lead it. Our own checks follow the error recognitions they do
    not explain (``_checks_placed``), and two of them do not lead together (``_checks_capped``). One
    protocol's own messages go last in a paste that shows only the other (``_off_flow_placed``). A very
    sure ranked guess leads the statuses before it (``_ranked_placed``). An anchor that would make a
    candidate follow itself is left out."""
    anchors: dict[int, Candidate] = {}
    ordered = order(anchors)
    for rule in _RULES:
        found = rule(ordered, paste, anchors)
        if found:
            found = {key: anchor for key, anchor in found.items() if not _loops(key, anchor, anchors)}
        if found:  # sorted again only when a rule moved something
            anchors.update(found)
            ordered = order(anchors)
    return ordered


def _statuses_placed(ordered: list[Candidate], paste: Paste, anchors: Mapping[int, Candidate]
                     ) -> dict[int, Candidate]:
    """Each HTTP status that leads a problem (not a guess, not an umbrella) whose entry explains it, right
    after the first such one. A status only moves down: one already after its explainer stays in its tier."""
    placed: dict[int, Candidate] = {}
    for at, status in enumerate(ordered):
        if status.evidence is not Evidence.HTTP or status.after is not None or status.entry is None:
            continue
        explainer = next((c for c in ordered[at + 1:] if c.evidence not in _NOT_EXPLAINERS and _is_problem(c)
                          and (entry := c.entry or paste.kb.get(c.code)) is not None
                          and explains(entry, status.entry)), None)
        if explainer is not None:
            placed[id(status)] = explainer
    return placed


#: The findings of our own checks that a specific error recognition goes before: a SCIM URL's shape, a
#: domain list, a token's dates, a SAML Response read. They say what a value looks like; a code or a known
#: message the software printed says what went wrong. (A redirect URI pair's difference is left out:
#: measured, it changed nothing.)
OWN_CHECKS = ("scim-url-", "domains-", "token-", "saml-")
#: The error recognitions a check follows: an error code, an exception name, a log field, a known message.
_RECOGNITIONS = frozenset({Evidence.CODE, Evidence.EXCEPTION, Evidence.FIELD, Evidence.MESSAGE})


def _checks_placed(ordered: list[Candidate], paste: Paste, anchors: Mapping[int, Candidate]
                     ) -> dict[int, Candidate]:
    """Each of our own checks that leads a specific error recognition it does not explain follows the last
    such recognition instead."""
    placed: dict[int, Candidate] = {}
    for at, check in enumerate(ordered):
        if not _is_own_check(check):
            continue
        entry = paste.kb.get(check.code)
        unexplained = [c for c in ordered[at + 1:] if _is_recognition(c) and not _related(entry, c, paste.kb)]
        if unexplained:
            placed[id(check)] = unexplained[-1]
    return placed


def _checks_capped(ordered: list[Candidate], paste: Paste, anchors: Mapping[int, Candidate]
                     ) -> dict[int, Candidate]:
    """Two of our own checks do not take both leading places: the second follows the first other finding."""
    if len(ordered) < 3 or not all(_is_own_check(c) for c in ordered[:2]):
        return {}
    other = next((c for c in ordered[2:] if not _is_own_check(c) and c.evidence is not Evidence.ENGINE), None)
    return {} if other is None else {id(ordered[1]): other}


def _is_own_check(candidate: Candidate) -> bool:
    return candidate.evidence is Evidence.CHECK and candidate.code.startswith(OWN_CHECKS)


def _is_recognition(candidate: Candidate) -> bool:
    return candidate.evidence in _RECOGNITIONS and not candidate.hedged and _is_problem(candidate)


def _related(entry: Entry | None, other: Candidate, kb: KnowledgeBase) -> bool:
    """Whether ``entry`` and the other finding's entry name each other (``related`` or ``caused_by``)."""
    other_entry = other.entry or kb.get(other.code)
    if entry is None or other_entry is None:
        return False
    return other_entry.id in (*entry.related, *entry.caused_by) or \
        entry.id in (*other_entry.related, *other_entry.caused_by)


#: Signs that a paste comes from a sign-in protocol: words its messages, URLs and parameters hold, and the
#: inputs the readers recognised (a SAML Response, a JWT). A JWT-bearer client assertion is OAuth: the
#: SAML signs are whole SAML terms, not "assertion" alone.
_FLOW_SIGNS = {
    "saml": ("saml", "nameid", "relaystate", "entityid", "entity id", "assertionconsumer", "assertion consumer",
             "ws-fed", "wsfed"),
    "oidc": ("oidc", "openid", "id_token", "id token", "access_token", "access token", "jwt", "bearer",
             "authorization_code", "code_verifier", "pkce", "oauth", "/authorize", "client_id"),
}
_FLOW_KINDS = {"saml": ("saml_response",), "oidc": ("jwt",)}
#: The messages of one protocol only (an entry id prefix), by protocol.
_FLOW_MESSAGES = {"saml": ("msg-saml-",), "oidc": ("msg-oidc-", "msg-jwt-", "msg-pkce-", "msg-openid-")}


#: Every sign's text, for the engine's one scan of the paste (``phrases.scan``): ``flows`` then looks the signs
#: up in where that scan found its literals instead of searching the paste once per sign.
FLOW_SIGN_LITERALS = frozenset(sign for signs in _FLOW_SIGNS.values() for sign in signs)


def flows(lowered: str, kinds: Iterable[str], first: Mapping[str, int] | None = None) -> frozenset[str]:
    """The sign-in protocols the lower-cased paste and the kinds of input read in it show signs of. ``first``:
    where each literal of a scan that knows ``FLOW_SIGN_LITERALS`` first occurs in ``lowered`` (a sign occurs
    in the paste exactly when the scan found it there)."""
    kinds = frozenset(kinds)

    def signed(signs: tuple[str, ...]) -> bool:
        return any(sign in lowered for sign in signs) if first is None else not first.keys().isdisjoint(signs)

    return frozenset(flow for flow, signs in _FLOW_SIGNS.items()
                     if kinds.intersection(_FLOW_KINDS[flow]) or signed(signs))


def _off_flow_placed(ordered: list[Candidate], paste: Paste, anchors: Mapping[int, Candidate]
                     ) -> dict[int, Candidate]:
    """In a paste that shows one protocol and no sign of the other, the other's own messages go last."""
    if len(paste.flows) != 1:
        return {}
    (shown,) = paste.flows
    other = tuple(prefix for flow, prefixes in _FLOW_MESSAGES.items() if flow != shown for prefix in prefixes)
    off = [c for c in ordered if c.code.startswith(other) and c.evidence is not Evidence.RANKED]
    if not off:
        return {}
    last = next((c for c in reversed(ordered) if c.evidence is not Evidence.ENGINE
                 and not any(_follows(c, o, anchors) for o in off)), None)
    return {} if last is None else {id(c): last for c in off}


#: A ranked guess at least this sure leads the HTTP statuses before it that its entry does not name
#: (measured at 0.45, 0.5 and 0.55: 0.5 kept every column's top-2 and raised the most top-1 on dev).
YIELD_RANKED = 0.5


def _ranked_placed(ordered: list[Candidate], paste: Paste, anchors: Mapping[int, Candidate]
                   ) -> dict[int, Candidate]:
    """Ranked guesses yield to exact recognitions: their tier puts them after every code, exception name,
    log field, known message and OAuth error value. A status is no such recognition (it says that a request
    failed, rarely why): a very sure guess (``YIELD_RANKED``) leads the statuses before it, unless its entry
    names the status (``explains``: "502 right after login" only restates a 502, which stays first)."""
    sure = next((c for c in ordered if c.evidence is Evidence.RANKED and c.confidence >= YIELD_RANKED), None)
    if sure is None or sure.entry is None:
        return {}
    before = ordered[:ordered.index(sure)]
    return {id(c): sure for c in before if c.evidence is Evidence.HTTP and c.after is None
            and c.entry is not None and not explains(sure.entry, c.entry)}


def _follows(candidate: Candidate, anchor: Candidate, anchors: Mapping[int, Candidate]) -> bool:
    """Whether ``candidate`` is ``anchor`` or is shown after it, through the followers in between."""
    return any(c is anchor for c in _chain(candidate, anchors))


def _loops(key: int, anchor: Candidate, anchors: Mapping[int, Candidate]) -> bool:
    """Whether following ``anchor`` would make the candidate of ``key`` follow itself."""
    return any(id(c) == key for c in _chain(anchor, anchors))


def _chain(candidate: Candidate, anchors: Mapping[int, Candidate]) -> list[Candidate]:
    """``candidate`` and those it is shown after, nearest first (at most ``MAX_CHAIN`` + 1)."""
    chain = [candidate]
    while len(chain) <= MAX_CHAIN and (after := anchors.get(id(chain[-1]), chain[-1].after)) is not None:
        chain.append(after)
    return chain


#: Followers of followers are few (a status after a check after a message): a longer chain is a loop.
MAX_CHAIN = 4


def explains(entry: Entry, status: Entry) -> bool:
    """Whether ``entry`` names the status (the status or its general entry among its ``related`` or
    ``caused_by``) or is usually carried by it (its ``http_status``)."""
    named = {status.id, f"http-{status.code}"}
    usual = entry.http_status is not None and str(entry.http_status) == status.code
    return usual or any(other in named for other in (*entry.related, *entry.caused_by))


def _is_problem(candidate: Candidate) -> bool:
    return candidate.finding.severity in (Severity.FAIL, Severity.WARN)


#: The order rules ``followed`` applies, in turn.
_RULES: tuple[Callable[[list[Candidate], Paste, Mapping[int, Candidate]], dict[int, Candidate]], ...] = (
    _statuses_placed, _checks_placed, _checks_capped, _off_flow_placed, _ranked_placed)
