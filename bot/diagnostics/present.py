"""How a report reads: the first view and the details, shared by the command line and Slack.

A report lists findings, most likely first. A reader wants, at a glance: the verdict, the most likely
cause in one sentence, the first fix steps and the values from the paste put to use; causes, where to
look, what to collect, related entries and references come after, on demand. ``present`` turns a
sealed report into that shape (``Presentation``), once, so both surfaces say the same thing in the
same order; the renderers only lay it out.

Three rules live here and nowhere else:

* **Restating findings are merged** (``_restates``): a finding the knowledge ties to an earlier one (one
  lists the other as ``related``, or it is the HTTP status the lead's code comes with), that is no
  worse and says nothing the lead does not (it is only the HTTP status that carried the lead, or its
  facts are all among the lead's, with the same values) is folded into the lead as "also reported as". A SCIM 409 body gives one problem, not "scimType uniqueness"
  and "HTTP 409"; a redirect pair gives "trailing slash", not also "differ from character 38".
* **Framing** (``Framing``): a look-up (``explain``), a symptom guide (only symptoms or free text
  recognised) and an all-clear check are not problems, whatever the severity of their findings.
* **Names, not ids**: other entries are referred to by what people call them (``AADSTS50011
  InvalidReplyTo``) with the code ``sso-bot explain`` takes; links by what they document.

Nothing here reads the paste: only the sealed report and the knowledge base (whose text is ours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Iterable, Sequence

from bot.diagnostics.explain import detail_for
from bot.diagnostics.link_labels import link_label
from bot.diagnostics.report import Finding, Severity
from bot.knowledge import EntryRecord as Entry, KnowledgeBase, load_knowledge  # entries as loaded: no pydantic
from bot.redaction import SafeReport, require_safe

__all__ = ["Framing", "Link", "Presentation", "Related", "Shown", "present", "link_label", "FIRST_FIX_STEPS",
           "SHOWN_CLAIMS"]

#: Fix steps in the first view; the rest open with the details.
FIRST_FIX_STEPS = 3
#: A first view's cause is one sentence, or at most this many characters.
CAUSE_CHARS = 200
#: The first view's fix steps stop after this many characters (one step at least, three at most).
FIX_CHARS = 420
#: Token claims the first view shows (never the signature or the token): what the claims mean to an admin.
SHOWN_CLAIMS = {"issuer": "iss", "audience": "aud", "appid": "appid", "tid": "tid", "scp": "scp", "roles": "roles",
                "issued_at": "iat", "not_before": "nbf", "expires_at": "exp"}

_CHECK_LABELS = {
    "check:scim_url": "Check the SCIM base URL",
    "check:token": "Check the token's expiry",
    "check:redirect": "Compare the redirect URIs",
    "check:domains": "Check the login-domain allowlist",
}
# Engine notes (the "what I can read" menu) are neither problems nor guides.
_ENGINE_PREFIX = "engine-"
_GUIDE_INPUTS = frozenset({"symptom", "free_text"})


class Framing(StrEnum):
    """What kind of answer this is, which decides its heading and the command line's exit code."""

    PROBLEMS = "problems"      # at least one failure
    WARNINGS = "warnings"      # warnings, no failure
    LOOKUP = "lookup"          # /sso explain, sso-bot explain
    GUIDE = "guide"            # a symptom in words: what usually causes it
    CLEAR = "clear"            # a check that found nothing wrong
    UNRECOGNISED = "unrecognised"

    @property
    def is_problem(self) -> bool:
        return self in (Framing.PROBLEMS, Framing.WARNINGS)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Related:
    """Another knowledge entry, by name: ``explain_as`` is what ``sso-bot explain`` takes, ``id`` the entry's."""

    name: str
    explain_as: str
    id: str


@dataclass(frozen=True)
class Shown:
    """One finding as a reader sees it. ``cause``, ``first_fix`` and ``values`` make the first view; the
    rest are the details."""

    finding: Finding
    title: str
    cause: str
    fix: tuple[str, ...]
    cause_is_likely: bool = False  # the cause is the knowledge's most likely one (else the check's own words)
    values: tuple[tuple[str, str], ...] = ()
    explanation: str = ""          # the check's own text beyond the cause (a caret pointer, say)
    causes: tuple[str, ...] = ()
    where: tuple[str, ...] = ()
    collect: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()   # "check:redirect" ... (see ``next_check_label``)
    related: tuple[Related, ...] = ()
    links: tuple[Link, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    also: tuple[Finding, ...] = ()  # findings merged into this one

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def first_fix(self) -> tuple[str, ...]:
        steps, used = [], 0
        for step in self.fix[:FIRST_FIX_STEPS]:
            if steps and used + len(step) > FIX_CHARS:
                break
            steps.append(step)
            used += len(step)
        return tuple(steps)

    @property
    def more_fix(self) -> tuple[str, ...]:
        return self.fix[len(self.first_fix):]

    @property
    def has_details(self) -> bool:
        return bool(self.more_fix or self.explanation or self.causes[1:] or self.where or self.collect
                    or self.related or self.links or self.facts or self.also or self.checks)


@dataclass(frozen=True)
class Presentation:
    framing: Framing
    heading: str
    shown: tuple[Shown, ...]
    inputs: tuple[str, ...] = ()
    secret_seen: bool = False
    restated: dict[str, str] = field(default_factory=dict)  # merged finding's code -> its lead's code

    @property
    def lead(self) -> Shown | None:
        return self.shown[0] if self.shown else None


def next_check_label(check: str) -> str:
    return _CHECK_LABELS.get(check, check)


def present(report: SafeReport, *, lookup: bool = False, kb: KnowledgeBase | None = None) -> Presentation:
    """The report as a reader sees it (see the module docstring). ``lookup``: it answers ``explain``."""
    require_safe(report)
    kb = kb or load_knowledge()
    groups, restated = _merge(report.findings, kb)
    # Problems before warnings before notes; within each, the report's order (the most likely first).
    groups.sort(key=lambda group: -group[0].severity.rank)
    shown = tuple(_shown(lead, also, kb, report.findings) for lead, also in groups)
    framing = _framing(report, shown, lookup)
    return Presentation(framing=framing, heading=_heading(framing, shown), shown=shown, inputs=tuple(report.inputs),
                        secret_seen=report.secret_seen, restated=restated)


# -- merging ------------------------------------------------------------------------------------


def _merge(findings: Sequence[Finding], kb: KnowledgeBase) -> tuple[list[tuple[Finding, list[Finding]]], dict[str, str]]:
    """Each finding with the later ones that restate it; a finding restated by an earlier one is not a lead."""
    groups: list[tuple[Finding, list[Finding]]] = []
    restated: dict[str, str] = {}
    for finding in findings:
        lead = next((g for g in groups if _restates(finding, g[0], kb)), None)
        if lead is not None:
            lead[1].append(finding)
            restated[finding.code] = lead[0].code
            continue
        # A summary found first (a check may list "the URIs differ" before "trailing slash"): the specific
        # finding takes its place, and the summary goes under it.
        summary = next((i for i, g in enumerate(groups) if _restates(g[0], finding, kb)), None)
        if summary is None:
            groups.append((finding, []))
            continue
        old, also = groups[summary]
        groups[summary] = (finding, [old, *also])
        for code, lead_code in list(restated.items()):
            if lead_code == old.code:
                restated[code] = finding.code
        restated[old.code] = finding.code
    return groups, restated


def _restates(later: Finding, lead: Finding, kb: KnowledgeBase) -> bool:
    """``later`` says nothing ``lead`` does not: the knowledge ties the two, it is no worse, and either it is
    the HTTP status that carries the lead, or its facts are all among the lead's (a finding without facts
    carries its own statement, so it never restates that way)."""
    if later.severity.rank > lead.severity.rank or later.code == lead.code:
        return False
    later_entry, lead_entry = kb.get(later.code), kb.get(lead.code)
    if not _tied(later_entry, lead_entry):
        return False
    if later_entry is not None and later_entry.system == "http":
        return True  # the status only carries what the lead names (a 409 under "duplicate userName")
    return bool(later.facts) and all(lead.facts.get(key) == value for key, value in later.facts.items())


def _tied(later: Entry | None, lead: Entry | None) -> bool:
    if later is None or lead is None:
        return False
    if later.id in lead.related or lead.id in later.related:
        return True
    # The HTTP status that carries the lead's code (a SCIM error body's status beside its scimType).
    return later.system == "http" and lead.http_status is not None and later.code == str(lead.http_status)


# -- framing ------------------------------------------------------------------------------------


def _framing(report: SafeReport, shown: Sequence[Shown], lookup: bool) -> Framing:
    real = [s for s in shown if not s.code.startswith(_ENGINE_PREFIX)]
    if not real:
        return Framing.UNRECOGNISED
    if lookup:
        return Framing.LOOKUP
    if report.inputs and set(report.inputs) <= _GUIDE_INPUTS:
        return Framing.GUIDE
    if any(s.severity is Severity.FAIL for s in real):
        return Framing.PROBLEMS
    if any(s.severity is Severity.WARN for s in real):
        return Framing.WARNINGS
    return Framing.CLEAR


def _heading(framing: Framing, shown: Sequence[Shown]) -> str:
    fails = sum(s.severity is Severity.FAIL for s in shown)
    warns = sum(s.severity is Severity.WARN for s in shown)
    if framing is Framing.PROBLEMS:
        head = f"{fails} problem{'s' if fails > 1 else ''} found"
        return head + (", most likely first" if fails + warns > 1 else "")
    if framing is Framing.WARNINGS:
        return f"{warns} warning{'s' if warns > 1 else ''}" + (", most likely first" if warns > 1 else "")
    if framing is Framing.LOOKUP:
        return f"What {_short_title(shown[0])} means" if len(shown) == 1 else f"What these {len(shown)} codes mean"
    if framing is Framing.GUIDE:
        return "What usually causes this, most likely first"
    if framing is Framing.CLEAR:
        return "All clear: nothing to fix"
    return "Nothing I recognise"


def _short_title(shown: Shown) -> str:
    return shown.title.split(":", 1)[0] if ":" in shown.title else shown.title


# -- one finding --------------------------------------------------------------------------------


def _shown(finding: Finding, also: Iterable[Finding], kb: KnowledgeBase, siblings: Sequence[Finding] = ()) -> Shown:
    entry = kb.get(finding.code)
    paragraphs = [p for p in finding.detail.split("\n\n") if p.strip()] if finding.detail else []
    if entry is not None and not _is_template(entry) and finding.detail in ("", detail_for(entry)):
        causes = tuple(entry.causes)
        cause = causes[0] if causes else (entry.summary if not finding.title.endswith(entry.summary) else "")
        explanation = ""
        where, collect = tuple(entry.where), tuple(entry.collect)
    else:  # a check's finding (its own text explains it), or one whose entry is not in this knowledge base
        parsed = _parse_detail(paragraphs)
        cause, explanation = _first_sentence(parsed["text"])
        causes = tuple(entry.causes) if entry else parsed["causes"]
        where = tuple(entry.where) if entry else parsed["where"]
        collect = tuple(entry.collect) if entry else parsed["collect"]
        if not cause and causes:
            cause = causes[0]
    checks, related = _next(entry, kb) if entry else ((), ())
    return Shown(
        finding=finding, title=_title(finding), cause=cause, fix=tuple(finding.fix), values=_values(finding, siblings),
        cause_is_likely=bool(causes) and cause == causes[0],
        explanation=explanation, causes=causes, where=where, collect=collect, checks=checks, related=related,
        links=tuple(Link(link_label(ref), ref) for ref in finding.refs if ref.startswith(("https://", "http://"))),
        facts=tuple((k, v) for k, v in finding.facts.items()), also=tuple(also))


_HEADS = ("Likely cause", "Where to look:", "What to collect:", "Next:")


def _parse_detail(paragraphs: Sequence[str]) -> dict:
    """A detail laid out by ``explain.detail_for`` read back into its parts (for a finding whose entry is
    not at hand: an unknown code's, or one kept from another knowledge base). "Next:" is left out: it
    names entries by id."""
    out: dict = {"causes": (), "where": (), "collect": (), "text": ""}
    text: list[str] = []
    for paragraph in paragraphs:
        head, _, body = paragraph.partition("\n")
        items = tuple(re.sub(r"^(•|\d+\.)\s*", "", line.strip()) for line in body.split("\n") if line.strip())
        if paragraph.startswith("Likely cause: "):
            out["causes"] = (paragraph.removeprefix("Likely cause: ").strip(),)
        elif head.startswith("Likely causes"):
            out["causes"] = items
        elif head == "Where to look:":
            out["where"] = items
        elif head == "What to collect:":
            out["collect"] = items
        elif head != "Next:":
            text.append(paragraph)
    out["text"] = "\n\n".join(text)
    return out


def _is_template(entry: Entry) -> bool:
    return entry.title is not None or entry.detail is not None


def _title(finding: Finding) -> str:
    """The title, without a code said twice ("AADSTS99999999 AADSTS99999999: ...")."""
    head, sep, rest = finding.title.partition(": ")
    words = head.split(" ")
    if len(words) == 2 and words[0] == words[1]:
        return f"{words[0]}{sep}{rest}"
    return finding.title


def _first_sentence(text: str) -> tuple[str, str]:
    """The cause (the first sentence, or the first line before a pointer block) and what follows it."""
    text = text.strip()
    if not text:
        return "", ""
    first_line, _, after = text.partition("\n")
    if len(first_line) <= CAUSE_CHARS:
        return first_line, after.strip()
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z'\"(`])", first_line)
    if match and match.start() <= CAUSE_CHARS:
        return first_line[:match.start()], (first_line[match.end():] + ("\n" + after if after else "")).strip()
    cut = first_line.rfind(" ", 0, CAUSE_CHARS)
    return first_line[:cut] + " …", ("… " + first_line[cut + 1:] + ("\n" + after if after else "")).strip()


def _next(entry: Entry, kb: KnowledgeBase) -> tuple[tuple[str, ...], tuple[Related, ...]]:
    checks: list[str] = []
    related: list[Related] = []
    for item in [*entry.next_checks, *entry.related]:
        if item.startswith("check:"):
            checks.append(item)
            continue
        other = kb.get(item)
        if other is None or other.system == "check" or any(r.id == other.id for r in related):
            continue  # a check's finding code is not something to look up on its own
        related.append(Related(name=_entry_name(other), explain_as=_explain_code(other), id=other.id))
    return tuple(dict.fromkeys(checks)), tuple(related[:5])


def _entry_name(entry: Entry) -> str:
    if entry.code is None:
        return entry.name
    label = entry.label
    if entry.name != label and len(entry.name) <= 60 and entry.name != entry.code:
        return f"{label} {entry.name}" if entry.name.replace("_", "").isalnum() else f"{label} ({entry.name})"
    return label


def _explain_code(entry: Entry) -> str:
    """What to give ``sso-bot explain``: the code as people write it, or the entry's name."""
    return entry.label if entry.code is not None else entry.name


# -- values from the paste ----------------------------------------------------------------------

#: Facts whose value the reader acts on, and the sentence that puts it to use. Facts are the values a
#: check or reader took from the paste (``Finding.facts``), already sealed.
_VALUE_USES: dict[str, tuple[str, str]] = {
    "redirect_uri": ("Redirect URI in the error", "Register `{v}` on the app exactly (scheme, host, path, "
                     "trailing slash), or make the app send one that is registered."),
    "corrected_url": ("Corrected URL", "Use `{v}`"),
    "cleaned": ("Cleaned list", "Enter `{v}`"),
    "application": ("Application in the error", "The app registration `{v}` is the one to check."),
    "tenant": ("Tenant in the error", "Sign-in went to tenant `{v}`."),
}


def _values(finding: Finding, siblings: Sequence[Finding] = ()) -> tuple[tuple[str, str], ...]:
    """What the first view shows from the paste: values with a use (``_VALUE_USES``), and for a finding
    about a token the non-secret claims the report read from that token (same fingerprint)."""
    out: list[tuple[str, str]] = []
    for name, (label, use) in _VALUE_USES.items():
        value = finding.facts.get(name)
        if value and value not in " ".join(finding.fix):  # a fix step that already says it is enough
            out.append((label, use.format(v=value)))
    if finding.code.startswith("token-") and finding.facts.get("fingerprint"):
        same = [f for f in (finding, *siblings) if f.code.startswith("token-")
                and f.facts.get("fingerprint") == finding.facts["fingerprint"]]
        decoded = next((f.facts for f in same if any(n in f.facts for n in ("issuer", "audience"))), None)
        if decoded:
            claims = [f"{claim} `{decoded[name]}`" for name, claim in SHOWN_CLAIMS.items() if decoded.get(name)]
            out.append(("Claims (signature not verified)", " · ".join(claims)))
    return tuple(out)
