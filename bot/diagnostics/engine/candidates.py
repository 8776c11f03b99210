"""What the recognisers hand the engine: candidates, each a finding with its evidence and a confidence.

A recogniser reads a ``Paste`` and returns ``Candidate``s; it never sees the engine, which imports
the recognisers (never the other way round) and ranks what they return. ``Collector`` gathers the
candidates of one diagnosis and the kinds of thing recognised, and keeps the secrets found so the
final scrub can blank them; it also takes whole check reports (``add_report``) for readers that
work that way.

Confidence (0..1) is how sure we are that a finding is the cause, from the kind of evidence:

=============  ===========================================================================  =====
evidence       what it is                                                                   conf.
=============  ===========================================================================  =====
code           an error code with notes (AADSTS, IDX, MSIS, Okta, provisioning, scimType)  0.95
               (0.85 when the entry only names the code, 0.6 when we have no notes at all)
check          a check of a value in the paste: fail 0.95, warn 0.75, info 0.4, ok 0.2
               (0.4 ``hedged``, a note after the others: a SCIM URL of another system quoted in
               a paste that says more, ``links._foreign``)
exception      an exception or class name the knowledge declares                           0.85
message        a known error message (a knowledge pattern)                                  0.85
               (0.6 ``hedged``: a product's message in a paste that does not name the product)
field          a log field's value the knowledge declares                                  0.8
oauth          an OAuth error value (RFC 6749 §5.2)                                         0.7
symptom        a symptom said in words a symptom pattern knows                              0.7
http           an HTTP status with context, or read out of a JSON body or a log line       0.55
               (never decisive: it says that a request failed, rarely why)
umbrella       a message that only frames the error ("the app returned an error")          0.4
ranked         free text ranked by lexical relevance (``rank``), at most             0.65
related        the general entry a lone product- or library-specific finding names first   0.3
               among its ``related`` ones (shown second: the causes beyond that product)
cause          the cause behind the leading finding that the paste gives evidence for     0.5-0.65
               (``causes.cued_cause``: one of its ``caused_by``, by that one's ``cues``)
engine         the engine's own notes (the menu, the truncation notice)                     0.0
=============  ===========================================================================  =====
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Mapping

from bot.diagnostics.explain import finding_from_entry
from bot.diagnostics.report import Finding, Report, Severity
from bot.knowledge import KnowledgeBase

if TYPE_CHECKING:  # entries are read by attribute: validated records at run time, no pydantic (bot/knowledge/record.py)
    from bot.knowledge import Entry

# Entries that only say "the app (or the IdP) returned an error; the reason follows". They frame a
# paste well but are never its cause when a code, status or message in the same paste names one.
UMBRELLAS = frozenset({
    "okta-msg-automatic-provisioning-failed",
    "okta-msg-remote-server-error",
    "okta-msg-push-profile-failed",
    "okta-msg-test-api-credentials-failed",
    "okta-msg-tasks-retry",
    "msg-entra-provisioning-http-error",
    "msg-entra-test-connection-invalid-credentials",
    "msg-saml-status-responder",
    "entra-prov-quarantine",
    "entra-prov-SystemForCrossDomainIdentityManagementBadRequest",
    "entra-prov-SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
    "entra-prov-SystemForCrossDomainIdentityManagementCredentialValidationFailure",
    "okta-event-application_provision_user_push",
    "okta-event-application_provision_user_push_profile",
    "okta-event-application_provision_user_deactivate",
    "okta-event-application_provision_user_sync",
    "okta-event-application_provision_user_verify_exists",
    "okta-event-application_integration_general_failure",
    "okta-event-app_app_instance_provision_sync_job_failed",
    "okta-event-user_authentication_sso",
    "symptom-test-connection-fails",
    "log-event-failed",
})


class Evidence(StrEnum):
    """What a candidate rests on (the module docstring gives each one's confidence)."""

    CODE = "code"
    CHECK = "check"
    EXCEPTION = "exception"
    MESSAGE = "message"
    FIELD = "field"
    OAUTH = "oauth"
    SYMPTOM = "symptom"
    HTTP = "http"
    UMBRELLA = "umbrella"
    RANKED = "ranked"
    RELATED = "related"
    CAUSE = "cause"
    ENGINE = "engine"


CONFIDENCE: dict[Evidence, float] = {
    Evidence.CODE: 0.95, Evidence.EXCEPTION: 0.85, Evidence.MESSAGE: 0.85, Evidence.FIELD: 0.8,
    Evidence.OAUTH: 0.7, Evidence.SYMPTOM: 0.7, Evidence.HTTP: 0.55, Evidence.UMBRELLA: 0.4,
    Evidence.RANKED: 0.65, Evidence.RELATED: 0.3, Evidence.CAUSE: 0.5, Evidence.ENGINE: 0.0,
}
_CHECK_CONFIDENCE = {Severity.FAIL: 0.95, Severity.WARN: 0.75, Severity.INFO: 0.4, Severity.OK: 0.2}
SHALLOW_CODE, UNKNOWN_CODE = 0.85, 0.6
HEDGED = 0.6

#: Evidence that names a cause on its own: with one of these in a paste, free text is not ranked.
DECISIVE = frozenset({Evidence.CODE, Evidence.EXCEPTION, Evidence.MESSAGE, Evidence.FIELD})


@dataclass(frozen=True)
class Candidate:
    """One possible finding: what it says, what it rests on, where in the paste, and how sure we are.

    ``fallback`` candidates count only when nothing else was found (a lone email address). ``hedged``
    ones rest on evidence that other software may print too (a product's message in a paste that does
    not name the product): they are less sure, come after the others of their kind, and never decide."""

    finding: Finding
    evidence: Evidence
    position: int
    confidence: float
    entry: Entry | None = None
    fallback: bool = False
    kinds: tuple[str, ...] = ()  # the kinds of input it shows, for the report's ``inputs`` ("aadsts_code")
    hedged: bool = False
    after: "Candidate | None" = None  # the finding a follower (evidence ``related``) is shown right after

    @property
    def decisive(self) -> bool:
        """Whether it names a cause on its own (then free text is not ranked)."""
        return self.evidence in DECISIVE and not self.hedged

    @property
    def code(self) -> str:
        return self.finding.code


@dataclass
class Paste:
    """The text views every recogniser reads, prepared once by the engine.

    ``scan`` is the paste with SAML Responses and tokens blanked and Slack links unwrapped; ``words`` adds
    the free text found inside JSON bodies and URL queries; ``lowered`` is ``words`` folded by
    ``engine.text.lower``; ``context`` says whether an HTTP status belongs to provisioning or sign-in."""

    kb: KnowledgeBase
    scan: str
    words: str
    lowered: str
    context: str | None = None
    environments: Mapping[str, str] | None = None
    expected_env: str | None = None
    now: datetime | None = None
    issued_at: date | datetime | None = None
    #: The codes the recognisers before the current one found (the phrase reader drops a message that
    #: only restates one of them); the engine updates it between recognisers.
    found: frozenset[str] = frozenset()
    products: frozenset[str] = frozenset()
    #: Where each literal the readers look for first occurs in ``lowered`` (``phrases.scan``).
    first: dict[str, int] | None = None
    #: The sign-in protocols the paste shows signs of ("saml", "oidc"), set by the engine before it orders
    #: the findings (``tiers.flows``).
    flows: frozenset[str] = frozenset()


#: The input kind an entry found by code shows, by system.
_CODE_KINDS = {"aadsts": "aadsts_code", "idx": "idx_code", "msis": "msis_code", "okta": "okta_code",
               "oauth": "oauth_error", "entra_provisioning": "entra_provisioning_code", "scim_type": "scim_type",
               "okta_event": "okta_event_type", "http": "http_status"}
_EVIDENCE_KINDS = {Evidence.MESSAGE: "error_message", Evidence.SYMPTOM: "symptom", Evidence.EXCEPTION: "exception_name",
                   Evidence.FIELD: "log_field", Evidence.RANKED: "free_text"}


def kind_of(entry: Entry, evidence: Evidence) -> str | None:
    if evidence in (Evidence.CODE, Evidence.OAUTH, Evidence.HTTP):
        return _CODE_KINDS.get(entry.system)
    if evidence is Evidence.MESSAGE and entry.system == "symptom":
        return "symptom"
    return _EVIDENCE_KINDS.get(evidence)


def evidence_of(entry: Entry, evidence: Evidence) -> Evidence:
    """An umbrella entry is umbrella evidence however it was found; a status read as a code is a status."""
    if entry.id in UMBRELLAS:
        return Evidence.UMBRELLA
    return Evidence.HTTP if evidence is Evidence.CODE and entry.system == "http" else evidence


def entry_confidence(entry: Entry, evidence: Evidence, known: bool = True) -> float:
    if evidence is Evidence.CODE:
        if not known:
            return UNKNOWN_CODE
        return CONFIDENCE[evidence] if entry.deep else SHALLOW_CODE
    return CONFIDENCE[evidence]


def from_entry(entry: Entry, evidence: Evidence, position: int, *, facts: Mapping[str, str] | None = None,
               known: bool = True, confidence: float | None = None, hedged: bool = False,
               after: Candidate | None = None) -> Candidate:
    """The candidate for a knowledge entry found by ``evidence`` at ``position`` (shown right ``after``
    another candidate, for a follower)."""
    kind = kind_of(entry, evidence)
    evidence = evidence_of(entry, evidence)
    sure = entry_confidence(entry, evidence, known) if confidence is None else confidence
    if hedged:
        sure = min(sure, HEDGED)
    finding = entry_finding(entry, facts)
    return Candidate(finding, evidence, position, sure, entry, kinds=(kind,) if kind else (), hedged=hedged,
                     after=after)


def from_finding(finding: Finding, position: int, evidence: Evidence = Evidence.CHECK,
                 *, fallback: bool = False, kinds: tuple[str, ...] = ()) -> Candidate:
    """The candidate for a finding a check computed (a token, a SCIM URL, a domain list, a SAML Response)."""
    sure = _CHECK_CONFIDENCE[finding.severity] if evidence is Evidence.CHECK else CONFIDENCE[evidence]
    if finding.code in UMBRELLAS:
        evidence, sure = Evidence.UMBRELLA, CONFIDENCE[Evidence.UMBRELLA]
    return Candidate(finding, evidence, position, sure, None, fallback, kinds)


def from_report(report: Report, position: int, *, kinds: tuple[str, ...] = (),
                fallback: bool = False) -> list[Candidate]:
    """A check's findings as candidates; the first carries the kinds of input the check read."""
    return [from_finding(finding, position, fallback=fallback, kinds=kinds if i == 0 else ())
            for i, finding in enumerate(report.findings)]


@dataclass
class Collector:
    """The candidates of one diagnosis, the kinds of thing recognised, and the secrets to scrub."""

    candidates: list[Candidate] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    secret_seen: bool = False

    def kind(self, name: str) -> None:
        if name not in self.kinds:
            self.kinds.append(name)

    def extend(self, candidates: list[Candidate] | tuple[Candidate, ...]) -> None:
        self.candidates.extend(candidates)

    def add_report(self, report: Report, position: int = 0) -> None:
        """A check's whole report (the token reader hands its reports over this way)."""
        self.secret_seen = self.secret_seen or report.secret_seen
        self.candidates.extend(from_report(report, position))

    @property
    def codes(self) -> set[str]:
        return {c.code for c in self.candidates}

    def has_findings(self) -> bool:
        """Whether anything besides the engine's own notes was found."""
        return any(c.evidence is not Evidence.ENGINE for c in self.candidates)


# -- findings of knowledge entries, laid out once per entry -----------------------------------

_FINDING_CACHE: dict[int, tuple[Entry, Finding]] = {}
_FINDING_CACHE_MAX = 4096


def entry_finding(entry: Entry, facts: Mapping[str, str] | None = None) -> Finding:
    """``finding_from_entry`` with the laid-out text of each entry kept: title and detail depend only on
    the entry, and building them is most of what a short paste costs."""
    hit = _FINDING_CACHE.get(id(entry))
    if hit is None or hit[0] is not entry:
        base = finding_from_entry(entry)
        if len(_FINDING_CACHE) >= _FINDING_CACHE_MAX:  # shallow entries for unknown codes are made per call
            _FINDING_CACHE.clear()
        _FINDING_CACHE[id(entry)] = (entry, base)  # the entry is kept alive with it, so its id stays unique
    else:
        base = hit[1]
    if not facts:
        return base
    return Finding(code=base.code, severity=base.severity, title=base.title, detail=base.detail, fix=base.fix,
                   refs=base.refs, facts=dict(facts), confidence=base.confidence)


def with_confidence(finding: Finding, confidence: float) -> Finding:
    return finding if finding.confidence == confidence else replace(finding, confidence=round(confidence, 3))
