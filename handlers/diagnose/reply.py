"""Compute a diagnosis and post it to the user, as one job a worker process can run.

Everything here is plain data in and out (the job is pickled to a worker), the
diagnosis is the use case ``services.diagnose.diagnose``, and the reply goes
straight to Slack's ``response_url``: the listener only
acknowledges, hands the job over, and records the audit row from the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from slack_sdk.webhook import WebhookClient

from bot.redaction import SafeReport
from handlers.shared.commands import Outcome
from handlers.shared.hooks import ReportActions
from handlers.shared.report import explainable_codes, fallback_text, render_report
from services import diagnose as diagnosis
from services import sharing

if TYPE_CHECKING:  # for annotations only: a worker process need not import the app's wiring
    from handlers.shared.deps import Worker


@dataclass(frozen=True)
class ReplyJob:
    check: str  # "diagnose", "explain", "scim", "redirect" or "domains"
    args: str
    now: datetime
    team_id: str
    user_id: str
    response_url: str
    environments: dict[str, str] = field(default_factory=dict)
    # Other features' buttons under the report (``deps.hooks.report_actions``): module-level
    # functions, so they travel to the worker process by name.
    report_actions: tuple[ReportActions, ...] = ()


def outcome_of(report: SafeReport) -> Outcome:
    """What the audit log keeps of a report (``services.diagnose.audit_fields``)."""
    input_kinds, outcome, detail = diagnosis.audit_fields(report)
    return Outcome(input_kinds=input_kinds, outcome=outcome, detail=detail)


def run_reply(worker: Worker, job: ReplyJob) -> Outcome:
    """Diagnose, keep a secret-free snapshot for sharing, and post the ephemeral reply."""
    report = diagnosis.diagnose(job.check, job.args, now=job.now, environments=job.environments)
    share_id = sharing.keep_for_sharing(worker.db, report, team_id=job.team_id, user_id=job.user_id)
    extra = [button for actions in job.report_actions for button in actions(report)]
    lookup = job.check == "explain"
    blocks = render_report(report, explainable=explainable_codes(report), share_id=share_id, extra_actions=extra,
                           lookup=lookup)
    response = WebhookClient(job.response_url, timeout=10).send(
        text=fallback_text(report, lookup=lookup), blocks=blocks, response_type="ephemeral", replace_original=False)
    if response.status_code != 200:
        raise RuntimeError(f"Slack refused the reply: HTTP {response.status_code}")
    return outcome_of(report)
