"""Each SCIM misbehaviour the live check knows gets the same leading finding through Slack as through the
use case the CLI calls: the modal's answer is compared with ``run_scim_check`` on the same endpoint.

The endpoints are a real SCIM server (scim2-server) on a wrong base path, and small loopback handlers
for what no real server does on demand (an HTML sign-in page, a 429, a 500 with an ignored filter, a list
without its fields)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from bot.live.policy import ProbePolicy, parse_allowance
from bot.live.run import run_scim_check
from handlers.shared.limits import escape_mrkdwn
from tests.live.peers import Answer, LoopbackServer, json_answer, scim2_server
from tests.support.payloads import view_submission
from tests.support.slack_app import RunningApp

TOKEN = "3b1f5a9c7e2d4f6a8b0c1d3e5f7a9b2c4d6e8f0a"
HTML = "<!DOCTYPE html><html><head><title>Sign in</title></head><body><input type=password></body></html>"
ONE_USER = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 1,
                       "startIndex": 1, "itemsPerPage": 1, "Resources": [{"id": "1", "userName": "someone"}]})
PATHS = ("/scim/v2/Users", "/scim/v2/Groups", "/scim/v2/ServiceProviderConfig", "/scim/v2/Schemas",
         "/scim/v2/ResourceTypes")

MISBEHAVIOURS = {
    "an HTML sign-in page": {p: Answer(200, HTML, {"Content-Type": "text/html"}) for p in PATHS},
    "a 429 with Retry-After": {p: json_answer('{"status": "429"}', status=429, Retry_After="120") for p in PATHS},
    "a 500 and an ignored filter": {"/scim/v2/Users": json_answer(ONE_USER),
                                    "/scim/v2/Groups": json_answer('{"detail": "boom"}', status=500)},
    "a list without its fields": {"/scim/v2/Users": json_answer('{"Resources": []}', media="application/json"),
                                  "/scim/v2/Groups": json_answer('{"totalResults": 0}', media="application/json")},
}


@pytest.fixture
def live_app(fake_slack, database_url):
    app = RunningApp(fake_slack, database_url, probe_allow=parse_allowance("127.0.0.1")).start()
    yield app
    app.stop()


def _through_slack(app, url: str) -> str:
    values = {"live.url": {"value": {"type": "plain_text_input", "value": url}},
              "live.token": {"value": {"type": "plain_text_input", "value": TOKEN}},
              "live.idp": {"value": {"type": "static_select", "selected_option": {"value": "entra"}}}}
    app.interaction(view_submission("live.scim_modal", values))
    app.wait_idle()
    return json.dumps(app.fake.calls_to("views.update")[-1].params)


def _leading_title(url: str) -> str:
    """The leading finding's title as the use case words it, without the random name it looked up."""
    report = run_scim_check(url, TOKEN, policy=ProbePolicy(allow=parse_allowance("127.0.0.1")))
    title = report.findings[0].title
    return title.rsplit(": ", 1)[-1] if "filter=" in title else title


@pytest.mark.parametrize("case", sorted(MISBEHAVIOURS))
def test_the_same_leading_finding_through_slack_and_the_use_case(live_app, case):
    with LoopbackServer(MISBEHAVIOURS[case]) as server:
        url = server.url("/scim/v2")
        expected = _leading_title(url)
        answer = _through_slack(live_app, url)
    assert json.dumps(escape_mrkdwn(expected))[1:-1][:60] in answer, (case, expected)


def test_a_wrong_base_path_on_a_real_server(live_app):
    with scim2_server(TOKEN) as base:
        wrong = base.rsplit("/v2", 1)[0] + "/v1"
        expected = _leading_title(wrong)
        answer = _through_slack(live_app, wrong)
    assert expected == "the base URL does not lead to the SCIM resources" and "404" in answer
    assert json.dumps(escape_mrkdwn(expected))[1:-1] in answer and urlsplit(wrong).path in answer
