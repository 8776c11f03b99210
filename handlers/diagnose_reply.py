"""Compute a diagnosis and post it to the user, as one job a worker process can run.

Everything here is plain data in and out (the job is pickled to a worker), and
the reply goes straight to Slack's ``response_url``: the listener only
acknowledges, hands the job over, and records the audit row from the result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.webhook import WebhookClient

from bot.diagnostics.domains import check_domains
from bot.diagnostics.engine import diagnose
from bot.diagnostics.extract import find_emails
from bot.diagnostics.redirect import check_redirect_text
from bot.diagnostics.report import Report
from bot.diagnostics.scim_url import check_scim_url
from bot.knowledge import load_knowledge
from handlers.commands import Outcome
from handlers.offload import worker_db
from handlers.views.report import fallback_text, render_report
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


def compute_report(job: ReplyJob) -> Report:
    """The same engine for every entry point; the shortcuts call one check directly."""
    if job.check == "scim":
        return check_scim_url(job.args, environments=job.environments)
    if job.check == "redirect":
        return check_redirect_text(job.args)
    if job.check == "domains":
        emails = find_emails(job.args)
        listed = job.args
        for email in emails:
            listed = listed.replace(email, " ")
        return check_domains(listed, email=emails[0] if emails else None)
    text = job.args[:200] if job.check == "explain" else job.args
    return diagnose(text, environments=job.environments, now=job.now)


def explainable_codes(report: Report) -> frozenset[str]:
    """Finding codes with a deep knowledge entry, which earn an "Explain more" button."""
    kb = load_knowledge()
    return frozenset(f.code for f in report.findings if (e := kb.get(f.code)) is not None and e.deep)


def outcome_of(report: Report) -> Outcome:
    codes = ",".join(dict.fromkeys(f.code for f in report.findings))
    return Outcome(input_kinds=tuple(report.inputs), outcome=report.worst.value, detail=codes)


def run_reply(job: ReplyJob) -> Outcome:
    """Diagnose, keep a secret-free snapshot for sharing, and post the ephemeral reply."""
    from handlers.checklists import checklist_buttons  # late: handlers.checklists imports handlers.diagnose

    report = compute_report(job)
    share_id = _snapshot(report, job.team_id, job.user_id)
    blocks = render_report(report, explainable=explainable_codes(report), share_id=share_id,
                           extra_actions=checklist_buttons(report))
    response = WebhookClient(job.response_url, timeout=10).send(
        text=fallback_text(report), blocks=blocks, response_type="ephemeral", replace_original=False)
    if response.status_code != 200:
        raise RuntimeError(f"Slack refused the reply: HTTP {response.status_code}")
    return outcome_of(report)


def _snapshot(report: Report, team_id: str, user_id: str) -> str | None:
    shareable = [f.to_dict() for f in report.findings if not f.from_secret]
    if not shareable:
        return None
    return save_snapshot(worker_db(), team_id=team_id, user_id=user_id, inputs=",".join(report.inputs),
                         findings_json=json.dumps(shareable))
