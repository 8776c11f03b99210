"""Compute a diagnosis and post it to the user, as one job a worker process can run.

Everything here is plain data in and out (the job is pickled to a worker), and
the reply goes straight to Slack's ``response_url``: the listener only
acknowledges, hands the job over, and records the audit row from the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.webhook import WebhookClient

from bot.checks import run_check
from bot.knowledge import load_knowledge
from bot.redaction import SafeReport, require_safe
from handlers.router.commands import Outcome
from runtime.offload import worker_db
from handlers.shared.report import fallback_text, render_report
from storage.snapshots import save_snapshot


@dataclass(frozen=True)
class ReplyJob:
    check: str  # "diagnose", "explain", "scim", "redirect" or "domains"
    args: str
    now: datetime
    team_id: str
    user_id: str
    response_url: str
    environments: dict[str, str] = field(default_factory=dict)


def compute_report(job: ReplyJob) -> SafeReport:
    """The same sealed entry point (``bot.checks.run_check``) for every subcommand."""
    return run_check(job.check, job.args, now=job.now, environments=job.environments)


def explainable_codes(report: SafeReport) -> frozenset[str]:
    """Finding codes with a deep knowledge entry, which earn an "Explain more" button."""
    require_safe(report)
    kb = load_knowledge()
    return frozenset(f.code for f in report.findings if (e := kb.get(f.code)) is not None and e.deep)


def outcome_of(report: SafeReport) -> Outcome:
    """What the audit log keeps of a report: the kinds recognised, the verdict and the finding codes."""
    require_safe(report)
    codes = ",".join(dict.fromkeys(f.code for f in report.findings))
    return Outcome(input_kinds=tuple(report.inputs), outcome=report.worst.value, detail=codes)


def run_reply(job: ReplyJob) -> Outcome:
    """Diagnose, keep a secret-free snapshot for sharing, and post the ephemeral reply."""
    from handlers.checklists.listeners import checklist_buttons  # late: handlers.checklists.listeners imports handlers.diagnose.listeners

    report = compute_report(job)
    share_id = _snapshot(report, job.team_id, job.user_id)
    blocks = render_report(report, explainable=explainable_codes(report), share_id=share_id,
                           extra_actions=checklist_buttons(report))
    response = WebhookClient(job.response_url, timeout=10).send(
        text=fallback_text(report), blocks=blocks, response_type="ephemeral", replace_original=False)
    if response.status_code != 200:
        raise RuntimeError(f"Slack refused the reply: HTTP {response.status_code}")
    return outcome_of(report)


def _snapshot(report: SafeReport, team_id: str, user_id: str) -> str | None:
    shareable = report.shareable()
    if not shareable.findings:
        return None
    return save_snapshot(worker_db(), team_id=team_id, user_id=user_id, report=shareable)
