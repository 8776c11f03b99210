"""/sso diagnose with its work in a real worker process, as `sso-bot serve` runs it by default."""

from __future__ import annotations

import json

import pytest

from tests.integration.test_diagnose_slack import JWT, REPLY_URL_MISMATCH
from tests.support.fake_slack import Fault
from tests.support.slack_app import RunningApp


@pytest.fixture
def app_with_worker(fake_slack, database_url):
    app = RunningApp(fake_slack, database_url, worker_processes=1).start()
    yield app
    app.stop()


def test_reply_comes_from_the_worker_and_keeps_every_guarantee(app_with_worker):
    app = app_with_worker
    assert app.runtime.deps.jobs.workers == 1
    response = app.command(f"diagnose {REPLY_URL_MISMATCH}")
    assert response.status_code == 200
    reply = app.fake.calls_to("response_url")[-1].params
    assert reply["response_type"] == "ephemeral" and "AADSTS50011" in json.dumps(reply["blocks"])
    share = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]
             if e["action_id"] == "report.share"]
    assert share, "the worker saved a snapshot in the shared database and offered to share it"

    app.command(f"diagnose {JWT}")
    sent = app.fake.everything_sent()
    assert all(part[:16] not in sent for part in JWT.split("."))


def test_a_failure_in_the_worker_reaches_the_error_boundary(app_with_worker):
    app = app_with_worker
    app.command("diagnose AADSTS50105")  # the worker is warm
    app.fake.fail_next("response_url", Fault(status=500))
    app.command("diagnose AADSTS50105")
    texts = [c.params.get("text", "") for c in app.fake.calls_to("response_url")]
    assert any("Something went wrong" in t and "ref " in t for t in texts)
