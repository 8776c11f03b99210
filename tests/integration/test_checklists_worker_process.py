"""The checklist tick path with its work in a real worker process, as `sso-bot serve` runs it.

The in-process tests (test_checklists_slack.py) run the same job inline; here the same assertions
run against a spawned worker, so batching, pickling and the completions in the app process are real.
"""

from __future__ import annotations

import pytest

from tests.integration import test_checklists_slack as inline
from tests.support.slack_app import RunningApp


@pytest.fixture
def worker_app(fake_slack, database_url):
    app = RunningApp(fake_slack, database_url, worker_processes=1).start()
    assert app.runtime.deps.jobs.workers == 1
    yield app
    app.stop()


@pytest.mark.parametrize("scenario", [
    inline.test_ticking_saves_who_and_when_and_updates_parent_and_item_message,
    inline.test_unticking_works,
    inline.test_two_ticks_at_the_same_moment_are_both_kept,
    inline.test_a_click_from_a_stale_message_never_unticks_someone_elses_tick,
    inline.test_a_rate_limited_update_is_retried_after_the_wait_slack_asks_for,
    inline.test_a_closed_checklist_takes_no_ticks,
    inline.test_finishing_posts_who_did_what_and_the_401_follow_up_comes_10_minutes_later,
], ids=lambda f: f.__name__.removeprefix("test_"))
def test_same_behaviour_with_a_worker_process(worker_app, scenario):
    scenario(worker_app)


def test_a_burst_of_clicks_on_one_run_keeps_every_tick_and_ends_on_the_full_count(worker_app):
    import json
    import threading
    from urllib.parse import urlencode

    import httpx

    from tests.support.signing import signed_headers
    from tests.support.slack_app import SIGNING_SECRET

    started = inline.start(worker_app, "401 okta")
    blocks = inline.current_blocks(worker_app, started, 1)
    values = [option["value"] for _, element in inline.checkbox_elements(blocks) for option in element["options"]]
    payloads = [inline.tick_payload(worker_app, started, 1, value, blocks=blocks) for value in values]
    barrier = threading.Barrier(len(payloads))

    def click(payload: dict) -> None:
        body = urlencode({"payload": json.dumps(payload)})
        with httpx.Client(timeout=10) as client:
            barrier.wait(timeout=10)
            client.post(f"{worker_app.url}/slack/events", content=body, headers=signed_headers(SIGNING_SECRET, body))

    threads = [threading.Thread(target=click, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    worker_app.wait_idle()
    assert f"{len(values)}/{started.total}" in inline.progress_of(inline.last_parent_update(worker_app, started))
