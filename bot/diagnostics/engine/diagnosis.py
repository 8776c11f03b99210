"""The one entry point: free text in, a Report out.

``diagnose(text)`` finds everything it can check in a paste (several things at
once: a log line with an AADSTS code and a URL gives two findings) and orders
the findings so the most likely cause comes first. It never raises: a reader
that fails on some odd input is logged and skipped, and anything the engine
cannot place gets a short menu of what it can check.

How the order is decided (``_sort_key``):

1. Problems before notes. A failure is a problem; so is a warning that the IdP
   or the server printed (an error code, an OAuth error value, a known error message, an HTTP status
   such as 429), because that is direct evidence. Warnings from our own checks and symptoms in words come
   next, then information, then what is fine.
2. Within problems, the more specific evidence first:
   error codes (AADSTS, Okta E0000…, Entra provisioning codes, SCIM scimType,
   Okta event types) → checks of a value the paste holds (token, SCIM URL,
   domain list) → error messages that name a cause → the exact difference
   between two redirect URIs → OAuth error values → HTTP statuses →
   "umbrella" messages that only say the app returned an error → symptoms → free text ranked by
   relevance (best first).
3. Then the order things appear in the paste.

Then the order rules move a finding right after another one, out of its own tier (``tiers.followed``):

- An HTTP status never decides alone. It says that a request failed, rarely why: read out of a SCIM error
  body or a log line it is as modestly sure as one said in words (``candidates``: evidence ``http``, not
  decisive, so the words around it are still ranked), and it is shown right after the first problem
  whose entry explains it (names the status among its ``related`` or ``caused_by``, or is usually carried
  by it: its ``http_status``) instead of leading it; a status already after its explainer keeps its
  tier (it only moves down). An umbrella or a guess does not explain it.
- Our own checks (a SCIM URL's shape, a domain list, a token's dates, a SAML Response read) say what a
  value looks like; an error code, an exception name, a log field or a known message the software printed
  says what went wrong. A check that would lead such recognitions (failed or warned ones) whose entries and
  its own do not name each other (``related``, ``caused_by``) follows the last of them; and two checks do
  not take both leading places: the second follows the first finding of another kind.
- One protocol's own messages (``msg-saml-*``; ``msg-oidc-*``, ``msg-jwt-*``, ``msg-pkce-*``) go last in a
  paste that shows signs of the other protocol only (``tiers.flows``: a SAML Response or SAML terms; a
  JWT, OAuth or OIDC terms), with what follows them. A ranked guess is left in its place: its entry's
  wording is often wider than its id (clock skew for any token); measured, moving it cost a case.
- Ranked guesses yield to exact recognitions (their tier: after every code, exception name, log field,
  known message and OAuth error value), but a very sure one (``tiers.YIELD_RANKED``) leads the HTTP
  statuses before it that its entry does not name: a status is not an exact recognition of a cause.

Each rule reads the order the ones before it left; a finding that follows one that moves moves with it.

Additions after the order is set. The cause behind the leading finding: when its entry names the entries
that most often cause it (``caused_by``: SameSite, a TLS-terminating proxy, replicas without shared
sessions ...) and the paste holds evidence for one of them (that entry's ``cues``: "replicas", "safari",
"load balancer"), the one with the most evidence comes right after it (``causes.cued_cause``); the first
two findings then say what was printed and what most likely caused it. Otherwise, a lone finding (a
summary that only restates it, such as "the redirect URIs differ", does not count) is followed by the
general entry it names first among its ``related`` (``_follower``: Auth0's callback-URL message, then the redirect-URI mismatch of any IdP);
and a product's message in a paste from another product of its kind is ``hedged`` (less sure, after the
others of its tier, not decisive: see ``phrases.read_phrases``).

What is left out: the same knowledge entry twice; a message that only restates a code found beside
it (the reply-URL wording next to AADSTS50011, or any wording on the line that carries an AADSTS or
Okta code); one vendor's message in a paste that plainly comes from the other vendor; help links
(aka.ms, learn.microsoft.com ...) and unrelated links when looking for a redirect URI pair.

How it is built: the structured readers run first and prepare the text (``bodies``: SAML
Responses, JSON bodies and log exports, URL query strings; ``secrets``: tokens and secrets,
blanked before anything else reads the paste; the finished report is sealed by ``bot.checks.run_check``); then every recogniser of ``RECOGNISERS`` reads the
prepared ``Paste`` and returns ``Candidate``s (``candidates``): ``codes`` (error codes,
code words, HTTP statuses), ``names`` (exception and class names, log fields the knowledge
declares), ``phrases`` (error messages and symptoms in words), ``links`` (SCIM URLs,
redirect pairs, domain lists). When none of them found decisive evidence (a code, a name, a field, a
known message, a check that failed; a symptom said in words is not decisive, it joins the ranking),
``rank`` ranks the free text against the knowledge and adds its best matches with their
confidence, before the menu. The recognisers never
import this module; this module ranks what they return. Specs cited by the
readers: RFC 6749 §4.1.2.1/§5.2 (OAuth error responses, also when they come back URL-encoded on the
redirect URI), RFC 7644 §3.12 (SCIM error bodies), RFC 9110 §15 (HTTP status codes and reason phrases).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Mapping

from bot.diagnostics.engine.bodies import decoded_queries as _decoded_queries
from bot.diagnostics.engine.bodies import read_json as _read_json
from bot.diagnostics.engine.bodies import read_saml as _read_saml
from bot.diagnostics.engine.candidates import (CONFIDENCE, UMBRELLAS, Candidate, Collector, Evidence, Paste,
                                               from_entry)
from bot.diagnostics.engine.causes import cause_behind
from bot.diagnostics.engine.codes import flow_context as _context
from bot.diagnostics.engine.codes import read_codes
from bot.diagnostics.engine.links import read_domains, read_urls
from bot.diagnostics.engine.names import read_fields, read_names
from bot.diagnostics.engine.phrases import literal_prefixes, phrase_matches, read_phrases
from bot.diagnostics.engine.phrases import scan as _scan
from bot.diagnostics.engine.secrets import hide_tail_tokens as _hide_tail_tokens
from bot.diagnostics.engine.secrets import read_tokens as _read_tokens
from bot.diagnostics.engine.text import MAX_ITEMS, MAX_JSON_CHARS
from bot.diagnostics.engine.tiers import MAX_CHAIN as _MAX_CHAIN
from bot.diagnostics.engine.tiers import SCIM_CHECK_PREFIXES as _SCIM_CHECK_PREFIXES
from bot.diagnostics.engine.tiers import bucket as _bucket
from bot.diagnostics.engine.tiers import flows as _flows
from bot.diagnostics.engine.tiers import followed as _followed
from bot.diagnostics.engine.tiers import tier as _tier
from bot.diagnostics.engine.text import lower as _lower
from bot.diagnostics.extract import unwrap_slack_links
from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.text import as_text
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.products import product_of, products_in

if TYPE_CHECKING:  # entries are read by attribute: validated records at run time, no pydantic (bot/knowledge/record.py)
    from bot.knowledge import Entry

# Imported from here by the bot, the tests and the benchmark; the readers' own names stay in their modules.
# ``Collector`` is re-exported for the token reader, which names it for type checking only.
__all__ = ["MAX_INPUT_CHARS", "MAX_ITEMS", "MAX_JSON_CHARS", "RECOGNISERS", "UMBRELLAS", "Collector", "Recogniser",
           "diagnose", "phrase_matches"]
_literal_prefixes = literal_prefixes  # the tests check it here, where it lived before the readers moved out

log = logging.getLogger(__name__)

# Reading more than this gains nothing (a log excerpt fits many times over) and bounds the work.
MAX_INPUT_CHARS = 200_000


@dataclass(frozen=True)
class Recogniser:
    """One reader of the prepared paste: its name (for the log when it fails) and what it returns."""

    name: str
    read: Callable[[Paste], list[Candidate]]


#: The recognisers, in the order they read; each returns candidates, none imports the engine.
RECOGNISERS: list[Recogniser] = [
    Recogniser("codes", read_codes),
    Recogniser("names", read_names),
    Recogniser("fields", read_fields),
    Recogniser("phrases", read_phrases),
    Recogniser("urls", read_urls),
    Recogniser("domains", read_domains),
]

# Findings we build for log events we have no notes on: a few say enough, however long the export.
_CAPPED = {"log-event-failed": 3, "log-event-succeeded": 1}

# Check findings that sum up the more precise ones beside them ("the URIs differ at character 48"
# next to "trailing slash only in the sent URI"): the precise one goes first.
_SUMMARIES = frozenset({"redirect-mismatch"})

# Knowledge-entry findings are deduplicated by code: the same entry twice says nothing new.
_KB_PREFIXES = ("aadsts-", "okta-", "oauth-", "http-", "scim-type", "entra-prov", "msg-", "symptom-", "scim-",
                "engine-", "idx-", "msis-")
#: Memo of a candidate's own part of its sort key, by ``id``, with the candidate (held: its ``id`` is not reused).
_Keys = dict[int, tuple[Candidate, tuple[int, int, int, int, int]]]


def _sort_key(item: tuple[int, Candidate], orders: Mapping[int, int] | None = None, keys: _Keys | None = None,
              anchors: Mapping[int, Candidate] | None = None, depth: int = 0) -> tuple[int, ...]:
    """``orders``: each candidate's place in collection order, by ``id``, so that a follower or a cause
    sorts right after the finding it follows (``after``, or its anchor among ``anchors``: the order rules'),
    even beside others found at the same place; a follower of a follower sorts right after that one (the
    key of what it follows, then its own order); of the findings after one anchor, a cue'd cause first."""
    order, candidate = item
    keys = {} if keys is None else keys  # one diagnosis sorts several times: each candidate's key once
    anchor = (anchors or {}).get(id(candidate), candidate.after)
    if anchor is None or depth > _MAX_CHAIN:
        known = keys.get(id(candidate)) or keys.setdefault(id(candidate), (candidate, _own_key(candidate)))
        return known[1] + (order,)
    # Of the findings shown after one anchor, the cue'd cause comes first: the lead says what was printed,
    # the cause why; a status the anchor explains only restates it.
    first = 0 if candidate.evidence is Evidence.CAUSE else 1
    return _sort_key(((orders or {}).get(id(anchor), order), anchor), orders, keys, anchors, depth + 1) + (first, order)


def _own_key(anchor: Candidate) -> tuple[int, int, int, int, int]:
    tier = _tier(anchor)
    summary = 1 if anchor.code in _SUMMARIES else 0
    return (_bucket(anchor, tier), tier, anchor.hedged, summary, anchor.position)


def _sorted(items: list[tuple[int, Candidate]], keys: _Keys | None = None,
            anchors: Mapping[int, Candidate] | None = None) -> list[Candidate]:
    orders, keys = {id(candidate): order for order, candidate in items}, {} if keys is None else keys
    return [c for _, c in sorted(items, key=lambda item: _sort_key(item, orders, keys, anchors))]


def rank(candidates: list[Candidate], ordered: list[Candidate] | None = None) -> list[Finding]:
    """The findings to report, most likely cause first, each once, with its confidence (``ordered``: known)."""
    return [_confident(c) for c in (_ordered(candidates) if ordered is None else ordered)]


def _ordered(candidates: list[Candidate], keys: _Keys | None = None, paste: Paste | None = None
             ) -> list[Candidate]:
    """The candidates to report, in order, each once (the first found of a knowledge entry)."""
    alone = all(c.fallback or c.evidence is Evidence.ENGINE for c in candidates)
    kept: list[tuple[int, Candidate]] = []
    codes: set[str] = set()
    for candidate in candidates:
        if candidate.fallback and not alone:
            continue
        code = candidate.code
        if code in codes and code.startswith(_KB_PREFIXES) and not code.startswith(_SCIM_CHECK_PREFIXES):
            continue
        cap = _CAPPED.get(code)
        if cap is not None:
            same = [c.finding for _, c in kept if c.code == code]
            if len(same) >= cap or any(f.title == candidate.finding.title for f in same):
                continue
        codes.add(code)
        kept.append((len(kept), candidate))
    keys = {} if keys is None else keys
    if paste is None or len(kept) < 2:
        return _sorted(kept, keys)
    return _followed(lambda anchors: _sorted(kept, keys, anchors), paste)  # with the order rules' followers


def _confident(candidate: Candidate) -> Finding:
    f = candidate.finding
    sure = round(candidate.confidence, 3)
    return f if f.confidence == sure else f.with_confidence(sure)


def diagnose(text: Any, *, now: datetime | None = None, environments: Mapping[str, str] | None = None,
             expected_env: str | None = None, issued_at: date | datetime | None = None,
             kb: KnowledgeBase | None = None) -> Report:
    """Everything we can say about ``text``, most likely cause first.

    ``now`` is the clock for token expiry (default: the real one); ``environments`` and
    ``expected_env`` feed the SCIM URL check; ``issued_at`` dates an opaque token.

    The report is raw: it may quote the paste. Whatever shows, stores or shares it goes through
    ``bot.checks.run_check``, which seals it (``bot.redaction``).
    """
    kb = load_knowledge() if kb is None else kb
    now = now or datetime.now(timezone.utc)
    out = Collector()
    whole = as_text(text)
    raw = whole
    if len(whole) > MAX_INPUT_CHARS:
        out.extend([from_entry(_engine_entry(kb, "engine-input-truncated"), Evidence.ENGINE, MAX_INPUT_CHARS,
                               facts={"characters": str(len(whole)), "read": str(MAX_INPUT_CHARS)},
                               confidence=1.0)])  # a side note: last
        raw = whole[:MAX_INPUT_CHARS]
    paste = _prepare(raw, whole, out, kb, now=now, issued_at=issued_at)
    paste.environments, paste.expected_env = environments, expected_env
    seen = -1  # candidates are only added: the codes found change only when their number does
    for recogniser in RECOGNISERS:
        if len(out.candidates) != seen:
            paste.found, seen = frozenset(out.codes), len(out.candidates)
        found = _guard(recogniser.name, lambda: recogniser.read(paste), [])
        _take(out, found)
    if not any(c.decisive or _is_problem_check(c) for c in out.candidates):
        _rank(out, paste)
    if not out.has_findings():
        out.kind("unrecognised")
        out.extend([from_entry(_engine_entry(kb, "engine-menu"), Evidence.ENGINE, 0,
                               confidence=CONFIDENCE[Evidence.ENGINE])])
    # The order is set once and set again only if a cause or a follower joins (each sort shares ``keys``).
    keys: _Keys = {}
    paste.flows = _flows(paste.lowered, out.kinds, paste.first)
    ordered = _ordered(out.candidates, keys, paste)
    shown, changed = _add_cause(out, ordered, paste, kb)
    if not shown:
        changed = _add_follower(out, kb, keys) or changed
    return _report(out, _ordered(out.candidates, keys, paste) if changed else ordered)


def _rank(out: Collector, paste: Paste) -> None:
    """Free text ranked against the knowledge. Symptoms said in words a symptom pattern knows take part in
    the ranking (boosted), rather than decide alone: "can't log in at all" fits a lock-out, but the rest of
    the paste may fit another symptom better."""
    from bot.diagnostics.engine.rank import rank_free_text  # lazily: ranking loads a library of its own

    said = frozenset(c.code for c in out.candidates if c.evidence is Evidence.SYMPTOM)
    ranked = _guard("ranking", lambda: rank_free_text(paste, said), [])
    if ranked and said:
        out.candidates = [c for c in out.candidates if c.evidence is not Evidence.SYMPTOM]
    _take(out, ranked)


def _take(out: Collector, found: list[Candidate]) -> None:
    for candidate in found:
        if candidate.fallback and out.has_findings():
            continue
        for kind in candidate.kinds:
            out.kind(kind)
    out.extend(found)


def _is_problem_check(candidate: Candidate) -> bool:
    return candidate.evidence is Evidence.CHECK and not candidate.hedged and \
        candidate.finding.severity in (Severity.FAIL, Severity.WARN)


def _prepare(raw: str, whole: str, out: Collector, kb: KnowledgeBase, *, now: datetime,
             issued_at: date | datetime | None) -> Paste:
    """The structured readers: SAML Responses, Slack links, tokens (blanked), JSON bodies, URL queries."""
    # SAML first: its XML must be read before Slack-link unwrapping rewrites <prefix:Element> tags.
    pasted, saml = _guard("saml", lambda: _read_saml(raw, now=now), (raw, []))
    _take(out, saml)
    pasted = _guard("links", lambda: unwrap_slack_links(pasted), pasted)
    scan = _guard("tokens", lambda: _read_tokens(pasted, out, now=now, issued_at=issued_at), pasted)
    json_text = scan if len(whole) <= MAX_INPUT_CHARS else _guard("tail", lambda: _hide_tail_tokens(whole, out), "")
    extra, bodies, kinds = _guard("json", lambda: _read_json(json_text, kb), ("", [], []))
    for kind in kinds:
        out.kind(kind)
    _take(out, bodies)
    decoded = _guard("query", lambda: _decoded_queries(scan), "")
    words = "\n".join(part for part in (scan, extra, decoded) if part)
    lowered = _lower(words)
    first = _scan(kb, lowered)
    return Paste(kb=kb, scan=scan, words=words, lowered=lowered, context=_context(lowered, first), now=now,
                 issued_at=issued_at, products=products_in(lowered, first), first=first)


_FOLLOWER_SYSTEMS = frozenset({"message", "symptom", "scim"})
_LEADS = frozenset({Evidence.MESSAGE, Evidence.EXCEPTION, Evidence.FIELD, Evidence.CHECK})
FOLLOWERS_NEED_A_PRODUCT = False


def _add_cause(out: Collector, ordered: list[Candidate], paste: Paste, kb: KnowledgeBase) -> tuple[bool, bool]:
    """The cause behind the lead of ``ordered``, right after it (``causes.cause_behind``): (shown, added)."""
    shown, cause = cause_behind([c for c in ordered if c.evidence is not Evidence.ENGINE], paste, kb)
    if cause is not None:  # shown once, in its new place
        out.candidates = [c for c in out.candidates if c.code != cause.code] + [cause]
    return shown, cause is not None


def _add_follower(out: Collector, kb: KnowledgeBase, keys: _Keys | None = None) -> bool:
    ordered = [c for c in _sorted(list(enumerate(out.candidates)), keys) if not c.fallback]
    follower = _follower(ordered, kb, out.candidates) if ordered else None
    if follower is not None:
        out.extend([follower])
    return follower is not None


def _follower(ordered: list[Candidate], kb: KnowledgeBase, out_order: list[Candidate]) -> Candidate | None:
    """The general entry to show after a finding that stands alone (a summary that only restates it, such
    as "the redirect URIs differ" after "the scheme differs", does not count): the first product-neutral
    message, symptom or SCIM entry among the lead's ``related``. Auth0's callback-URL message is followed by
    the redirect-URI mismatch any IdP reports, node-saml's signature message by SAML signatures in general,
    a scheme that differs by the TLS-terminating proxy: the lone finding says what was printed or measured;
    the general one holds the causes that lie beyond it."""
    leads = list({c.code: c for c in reversed(ordered)
                  if c.evidence is not Evidence.ENGINE and c.code not in _SUMMARIES}.values())
    if len(leads) == 1:  # the one ``rank`` keeps of that code: the first found, wherever it sorts
        leads = [next(c for c in out_order if c.code == leads[0].code)]
    if len(leads) != 1 or leads[0].evidence not in _LEADS:
        return None
    lead = leads[0]
    if lead.evidence is Evidence.CHECK and lead.finding.severity not in (Severity.FAIL, Severity.WARN):
        return None
    entry = lead.entry or kb.get(lead.code)
    if entry is None or (FOLLOWERS_NEED_A_PRODUCT and lead.evidence is not Evidence.CHECK
                         and product_of(entry) is None):
        return None
    present = {c.code for c in ordered}
    for related in entry.related:
        follower = kb.get(related)
        if follower is not None and follower.system in _FOLLOWER_SYSTEMS and product_of(follower) is None \
                and related not in present:
            return from_entry(follower, Evidence.RELATED, lead.position, confidence=CONFIDENCE[Evidence.RELATED],
                              after=lead)
    return None


def _report(out: Collector, ordered: list[Candidate] | None = None) -> Report:
    findings = rank(out.candidates, ordered)
    return Report(subject="diagnosis", findings=tuple(findings), inputs=tuple(out.kinds),
                  secret_seen=out.secret_seen or bool(out.secrets))


def _guard(stage: str, work: Callable[[], Any], fallback: Any = None) -> Any:
    """Run one reader; a bug in it costs its findings, never the whole diagnosis."""
    try:
        return work()
    except Exception:  # logged with the traceback so tests and operators see it
        log.exception("diagnose: the %s reader failed; continuing without it", stage)
        return fallback


def _engine_entry(kb: KnowledgeBase, entry_id: str) -> Entry:
    entry = kb.get(entry_id)
    if entry is None:  # the data tests make this impossible in a shipped build
        raise LookupError(f"knowledge entry {entry_id} is missing")
    return entry
