"""Failures grouped by cause: the engine's code for each distinct error, counted, dated, with masked users.

Rows are first grouped by their raw error (source, code, the reason with ids, addresses and numbers
taken out), which costs a dict update per row. The engine is asked once per distinct raw error
(``bot.checks.run_check``), and raw errors the engine puts down to the same cause are merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.checks import run_check
from bot.diagnostics import explain  # a finding's text from the knowledge (not a check: nothing is judged there)
from bot.diagnostics.report import Finding, Severity
from bot.files.export_fields import FAILED, SKIPPED, Event
from bot.files.redact import mask_emails, mask_user, short
from bot.redaction import redact_text
from bot.recovery import entra_quarantine_clock

__all__ = ["Tally", "findings_of", "CAUSE_FACTS"]

MAX_RAW_CAUSES = 200  # distinct raw errors sent to the engine; the rest are grouped by their own code
USERS_SHOWN = 5
_USERS_KEPT = 10_000
_CONFIDENT = 0.5
_VARIABLE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                       r"|'[^']{1,80}'|\"[^\"]{1,80}\"|\d{4,}", re.I)
_QUARANTINE = re.compile(r"quarantin|CredentialValidationUnavailable|\b401\b", re.I)
_SOURCES = {"entra-provisioning": "Entra provisioning log", "entra-sign-in": "Entra sign-in log", "okta": "Okta System Log"}

@dataclass
class _Group:
    count: int = 0
    first: datetime | None = None
    last: datetime | None = None
    users: set[int] = field(default_factory=set)  # hashes of the raw names: counted, never shown
    masked: dict[str, None] = field(default_factory=dict)  # what is shown
    codes: dict[str, None] = field(default_factory=dict)
    apps: dict[str, None] = field(default_factory=dict)
    sample: Event | None = None

    def add(self, event: Event) -> None:
        self.count += 1
        if event.when is not None:
            self.first = event.when if self.first is None or event.when < self.first else self.first
            self.last = event.when if self.last is None or event.when > self.last else self.last
        if event.user and len(self.users) < _USERS_KEPT:
            self.users.add(hash(event.user.lower()))
            if len(self.masked) < USERS_SHOWN:
                self.masked[mask_user(event.user)] = None
        if event.code and len(self.codes) < 20:
            self.codes[event.code] = None
        if event.app and len(self.apps) < 20:
            self.apps[event.app] = None
        if self.sample is None:
            self.sample = event

    def absorb(self, other: "_Group") -> None:
        self.count += other.count
        for moment in (other.first, other.last):
            if moment is not None:
                self.first = moment if self.first is None or moment < self.first else self.first
                self.last = moment if self.last is None or moment > self.last else self.last
        self.users |= other.users
        for name in other.masked:
            if len(self.masked) < USERS_SHOWN:
                self.masked[name] = None
        self.codes.update(other.codes)
        self.apps.update(other.apps)

@dataclass
class Tally:
    """Counts per outcome and per source, the failures by raw cause, the skips by reason."""

    events: int = 0
    unknown: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    failures: dict[tuple[str, str, str], _Group] = field(default_factory=dict)
    skips: dict[str, int] = field(default_factory=dict)
    first: datetime | None = None
    last: datetime | None = None

    def add(self, event: Event | None) -> None:
        if event is None:
            self.unknown += 1
            return
        self.events += 1
        self.outcomes[event.outcome] = self.outcomes.get(event.outcome, 0) + 1
        self.sources[event.source] = self.sources.get(event.source, 0) + 1
        if event.when is not None:
            self.first = event.when if self.first is None or event.when < self.first else self.first
            self.last = event.when if self.last is None or event.when > self.last else self.last
        if event.outcome == FAILED:
            key = (event.source, event.code, _generic(event.reason))
            group = self.failures.get(key)
            if group is None:
                group = self.failures[key] = _Group()
            group.add(event)
        elif event.outcome == SKIPPED:
            reason = short(event.reason or event.code or "no reason given", 80)
            self.skips[reason] = self.skips.get(reason, 0) + 1

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(code: str) -> str:
    """A raw error code as a finding code: lower-case words joined by dashes, without the names, ids and
    numbers some sources put in their reason codes (Okta's outcome.reason is free text at times)."""
    return _NOT_SLUG.sub("-", _VARIABLE.sub(" ", code).lower()).strip("-")[:48].rstrip("-")


_GENERIC: dict[str, str] = {}


def _generic(reason: str) -> str:
    """``reason`` with its ids, addresses, quoted values and long numbers taken out, so one cause is one key
    (cached: an export repeats its reasons)."""
    found = _GENERIC.get(reason)
    if found is None:
        found = _VARIABLE.sub("…", reason)[:200]
        if len(_GENERIC) < 20_000:
            _GENERIC[reason] = found
    return found


def findings_of(tally: Tally, *, now: datetime | None = None) -> list[Finding]:
    """The summary, then one finding per cause (most frequent first), skips, and the quarantine clock."""
    causes = _by_cause(tally, now)
    findings = [_summary(tally, len(causes))]
    for code, (group, explanation) in sorted(causes.items(), key=lambda kv: -kv[1][0].count):
        findings.append(_cause_finding(code, group, explanation))
    if tally.skips:
        top = sorted(tally.skips.items(), key=lambda kv: -kv[1])[:5]
        reasons = "\n".join(f"• {n} × {reason}" for reason, n in top)
        findings.append(explain.check_finding("export-skipped",
                                              values={"skipped": str(sum(tally.skips.values())), "reasons": reasons}))
    clock = _quarantine(causes)
    if clock is not None:
        findings.append(clock)
    return findings

def _by_cause(tally: Tally, now: datetime | None) -> dict[str, tuple[_Group, Finding | None]]:
    causes: dict[str, tuple[_Group, Finding | None]] = {}
    ranked = sorted(tally.failures.items(), key=lambda kv: -kv[1].count)
    for n, ((source, code, _), group) in enumerate(ranked):
        explanation = _explain(source, group.sample, now) if n < MAX_RAW_CAUSES else None
        key = explanation.code if explanation is not None else f"{source}-{_slug(code) or 'no-code'}"
        if key in causes:
            causes[key][0].absorb(group)
        else:
            merged = _Group()
            merged.absorb(group)
            merged.sample = group.sample
            causes[key] = (merged, explanation)
    return causes

def _explain(source: str, sample: Event | None, now: datetime | None) -> Finding | None:
    """The engine's best finding for one raw error, when it is confident about it."""
    if sample is None:
        return None
    if source == "entra-sign-in" and sample.code.isdigit():
        question = f"AADSTS{sample.code}: {sample.reason}"
    elif source == "okta":
        question = f"Okta {sample.action} {sample.code} {sample.reason}"
    else:
        question = f"{sample.code} {sample.reason}"
    report = run_check("diagnose", redact_text(question)[:1500], now=now)
    best = next((f for f in report.findings if f.severity is not Severity.OK), None)
    return best if best is not None and best.confidence >= _CONFIDENT and best.code != "engine-menu" else None

def _summary(tally: Tally, causes: int) -> Finding:
    kinds = ", ".join(f"{_SOURCES.get(s, s)} ({n})" for s, n in sorted(tally.sources.items(), key=lambda kv: -kv[1]))
    failed = tally.outcomes.get(FAILED, 0)
    return explain.check_finding(
        "export-summary", {"events": str(tally.events), "failed": str(failed), "causes": str(causes)},
        values={"first_at": _when(tally.first) if tally.first else "", "last_at": _when(tally.last),
                "causes_shown": f"{causes} cause{'s' if causes != 1 else ''}" if failed else "",
                "skipped": str(tally.outcomes.get(SKIPPED, 0)), "succeeded": str(tally.outcomes.get("ok", 0)),
                "kinds": kinds, "unknown": str(tally.unknown) if tally.unknown else ""},
    )

def _cause_finding(code: str, group: _Group, explanation: Finding | None) -> Finding:
    """The failures of one cause: the entry export-cause's words around the counts, keyed by the cause's code
    (the engine's entry id when it named the cause), with the cause's fix, references and confidence."""
    users = group.users
    shown = ", ".join(sorted(group.masked)) + (", …" if len(users) > len(group.masked) else "")
    sample = group.sample
    title = explanation.title if explanation is not None else _raw_title(sample)
    codes = list(group.codes)[:5]
    values = {"count": str(group.count), "cause": short(title, 140),
              "first_seen": _when(group.first) if group.first else "", "last_seen": _when(group.last),
              "users": f"{len(users)}{'+' if len(users) >= _USERS_KEPT else ''}" if users else "",
              "users_shown": shown, "one_code": codes[0] if len(group.codes) == 1 else "",
              "codes": ", ".join(codes) if len(group.codes) > 1 else "", "apps": ", ".join(list(group.apps)[:3])}
    if explanation is not None and explanation.detail:
        values["explanation"] = explanation.detail.split("\n\n", 1)[0]
    elif sample is not None and sample.reason:
        values["reason"] = short(redact_text(sample.reason), 400)
    worded = explain.check_finding("export-cause", values=values)
    return replace(worded, code=code, title=mask_emails(worded.title), detail=mask_emails(worded.detail.lstrip(" ")),
                   fix=explanation.fix if explanation is not None else (),
                   refs=explanation.refs if explanation is not None else (),
                   facts=_cause_facts(group, shown),
                   confidence=explanation.confidence if explanation is not None else 0.3)

CAUSE_FACTS = ("count", "first seen", "last seen", "users", "users shown", "error codes", "apps")


def _cause_facts(group: _Group, shown: str) -> dict[str, str]:
    """What a cause finding carries as facts: the CSV of grouped failures (``bot.files.failures_csv``) is
    made of these, read back from the sealed report, so it holds nothing the answer does not."""
    facts = {"count": str(group.count), "first seen": _when(group.first), "last seen": _when(group.last),
             "users": str(len(group.users)), "users shown": mask_emails(shown),
             "error codes": mask_emails(", ".join(list(group.codes)[:5])),
             "apps": mask_emails(", ".join(list(group.apps)[:3]))}
    return {k: v for k, v in facts.items() if v}


def _raw_title(sample: Event | None) -> str:
    if sample is None:
        return "failure"
    what = sample.code or "no error code"
    return f"{what}: {short(redact_text(sample.reason), 100)}" if sample.reason else what

def _quarantine(causes: dict[str, tuple[_Group, Finding | None]]) -> Finding | None:
    """Entra's quarantine clock, when the export shows provisioning failing on credentials or in quarantine."""
    hits = [g for code, (g, e) in causes.items()
            if g.sample is not None and g.sample.source == "entra-provisioning"
            and (_QUARANTINE.search(f"{code} {g.sample.code} {g.sample.reason}"))]
    starts = [g.first for g in hits if g.first is not None]
    if not starts:
        return None
    start = min(starts)
    last = max(g.last for g in hits if g.last is not None)
    clock = entra_quarantine_clock(start)
    retries = ", ".join(_when(m) for m in clock.retries)
    # Which of the two last sentences shows depends on which fact is given: disabled by now, or when it will be.
    state = {"last_event": _when(last)} if last >= clock.disabled_at else {"disables_on": _when(clock.disabled_at)}
    return explain.check_finding(
        "export-quarantine-clock", {"failing since": _when(start), "disabled on": _when(clock.disabled_at)},
        values={"failing_since": _when(start), "retries": retries, "daily_from": _when(clock.daily_from), **state},
    )

def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "unknown"

