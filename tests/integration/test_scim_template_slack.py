"""SSO_BOT_SCIM_URL_TEMPLATE through the running app: ``/sso scim`` holds a URL to the operator's shape,
in the listener's process and in a worker process (which starts with the default and is told the setting)."""

from __future__ import annotations

import json

import pytest

from bot.diagnostics.scim.template import DEFAULT_TEMPLATE, parse_template, use_template
from tests.support.slack_app import RunningApp

TENANT = parse_template("{base}/api/scim/v2/{tenant}")


@pytest.fixture
def restore_template():
    yield
    use_template(DEFAULT_TEMPLATE)  # prepare() sets the process's template; the next test starts from the default


@pytest.mark.parametrize("workers", [0, 1])
def test_the_configured_shape_is_used_in_slack_replies(fake_slack, database_url, restore_template, workers):
    app = RunningApp(fake_slack, database_url, worker_processes=workers, scim_url_template=TENANT).start()
    try:
        app.command("scim https://app.example.com/api/scim/v2/acme")
        good = json.dumps(app.fake.calls_to("response_url")[-1].params)
        app.command("scim https://app.example.com/api/scim/acme")
        off = json.dumps(app.fake.calls_to("response_url")[-1].params)
    finally:
        app.stop()
    assert "expected shape" in good and "does not follow" not in good
    assert "does not follow" in off and "/api/scim/v2/&lt;tenant&gt;" in off


def test_by_default_another_servers_url_gets_no_false_problems(slack_app):
    slack_app.command("scim https://api.example.com/scim/v2")
    reply = json.dumps(slack_app.fake.calls_to("response_url")[-1].params)
    assert "every SCIM server needs" in reply and "Problem:" not in reply and "Warning:" not in reply
