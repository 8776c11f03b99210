"""The pure state of a checklist run: snapshot, tick/untick, progress, completion, deltas, timing, export."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.checklist_defs import ChecklistDef, load_checklists
from bot.checklist_suggest import suggest_checklist
from bot.checklists import (CHUNK, ClosedRun, decode_mask, encode_mask, export_text, follow_up_due, format_duration,
                            nudge_due, progress_bar, selection_delta, start_run, summarise)
from bot.checklists import CheckFinding, CheckRun, Progress
from handlers.shared.limits import MAX_CHECKBOX_OPTIONS

T0 = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def okta_run():
    return start_run(load_checklists().get("scim-401"), "okta", run_id="r1", started_by="U1", now=T0)


def test_start_snapshots_the_idps_items_in_order(okta_run):
    ids = [i.id for i in okta_run.items]
    assert ids[0] == "platform-open-settings" and "okta-base-url" in ids and "entra-tenant-url" not in ids
    assert [g.key for g in okta_run.groups] == ["platform", "okta", "verify"]
    assert okta_run.progress == Progress(0, 15) and str(okta_run.progress) == "0/15"
    assert okta_run.display_title == "SCIM 401 recovery: Okta" and okta_run.follow_up_minutes == 10
    assert okta_run.is_open and not okta_run.is_complete


def test_start_refuses_a_missing_idp_when_one_is_required():
    with pytest.raises(ValueError):
        start_run(load_checklists().get("scim-401"), None, run_id="r", started_by="U", now=T0)


def test_tick_untick_keep_who_and_when_and_are_per_item(okta_run):
    run = okta_run.tick("okta-save", "U2", T0 + timedelta(minutes=1))
    run = run.tick("okta-save", "U3", T0 + timedelta(minutes=2))  # already done: the first ticker stays
    item = run.item("okta-save")
    assert item.done and item.done_by == "U2" and item.done_at == T0 + timedelta(minutes=1)
    assert run.progress.done == 1 and run.last_activity_at == T0 + timedelta(minutes=2)
    run = run.untick("okta-save", "U3", T0 + timedelta(minutes=3))
    assert not run.item("okta-save").done and run.item("okta-save").done_by is None
    assert run.progress.done == 0
    with pytest.raises(KeyError):
        run.tick("no-such-item", "U1", T0)


def test_completion_and_reopening(okta_run):
    ids = [i.id for i in okta_run.items]
    run = okta_run.apply(tick=ids[:-1], user_id="U1", now=T0 + timedelta(minutes=5))
    assert run.completed_at is None and run.is_open
    done_at = T0 + timedelta(minutes=20)
    run = run.tick(ids[-1], "U2", done_at)
    assert run.is_complete and run.completed_at == done_at and not run.is_open
    reopened = run.untick(ids[0], "U2", done_at + timedelta(minutes=1))
    assert reopened.completed_at is None and reopened.is_open


def test_a_closed_run_takes_no_ticks(okta_run):
    closed = okta_run.close("U1", T0, "closed")
    assert closed.is_closed and closed.close("U2", T0, "x").closed_by == "U1"
    with pytest.raises(ClosedRun):
        closed.tick(okta_run.items[0].id, "U1", T0)


def test_two_people_ticking_different_items_both_count(okta_run):
    """Per-item transitions commute: applying A's and B's ticks in either order gives the same state."""
    a, b = okta_run.items[0].id, okta_run.items[1].id
    one = okta_run.tick(a, "UA", T0).tick(b, "UB", T0)
    other = okta_run.tick(b, "UB", T0).tick(a, "UA", T0)
    assert one.items == other.items and one.progress.done == 2


def test_chunks_fit_a_checkbox_element():
    assert CHUNK == MAX_CHECKBOX_OPTIONS == 10
    big = ChecklistDef.model_validate({"id": "big", "title": "Big", "summary": "s", "command": "big", "group": [
        {"id": "g", "title": "G", "item": [{"id": f"i{n}", "text": f"Step {n}"} for n in range(23)]}]})
    run = start_run(big, None, run_id="r", started_by="U", now=T0)
    assert [len(c) for c in run.chunks(0)] == [10, 10, 3]
    assert run.chunk(0, 2)[0].id == "i20" and run.chunk(0, 3) == ()


def test_mask_round_trip(okta_run):
    chunk = okta_run.chunk(0, 0)
    run = okta_run.tick(chunk[1].id, "U", T0)
    mask = encode_mask(run.chunk(0, 0))
    assert mask == "01000"
    ids = [i.id for i in chunk]
    assert decode_mask(ids, mask) == {chunk[1].id}
    assert decode_mask(ids, "0100") is None and decode_mask(ids, "01x00") is None


def test_selection_delta_never_unticks_what_the_clicker_did_not_see():
    ids = ["a", "b", "c"]
    # B's message was drawn before A ticked "a"; B ticks "b": only "b" changes.
    assert selection_delta(ids, shown=set(), selected={"b"}) == (["b"], [])
    # Unticking what the message showed ticked.
    assert selection_delta(ids, shown={"a", "b"}, selected={"a"}) == ([], ["b"])
    # Values outside the element are ignored.
    assert selection_delta(ids, shown=set(), selected={"zzz"}) == ([], [])


def test_follow_up_and_nudge_timing(okta_run):
    ids = [i.id for i in okta_run.items]
    done = okta_run.apply(tick=ids, user_id="U", now=T0)
    assert not follow_up_due(done, T0 + timedelta(minutes=9, seconds=59))
    assert follow_up_due(done, T0 + timedelta(minutes=10))
    assert not follow_up_due(done.close("U", T0, "resumed"), T0 + timedelta(hours=1))
    quick = start_run(load_checklists().get("sso-quick"), None, run_id="q", started_by="U", now=T0)
    assert not follow_up_due(quick.apply(tick=[i.id for i in quick.items], user_id="U", now=T0), T0 + timedelta(days=1))
    assert not nudge_due(quick, T0 + timedelta(hours=23, minutes=59))
    assert nudge_due(quick, T0 + timedelta(hours=24))
    assert not nudge_due(quick.tick(quick.items[0].id, "U", T0 + timedelta(hours=20)), T0 + timedelta(hours=25))
    assert not nudge_due(done, T0 + timedelta(days=3))  # complete: nothing to nudge about


def test_summary_says_who_did_what_and_how_long(okta_run):
    ids = [i.id for i in okta_run.items]
    run = okta_run.apply(tick=ids[:10], user_id="UA", now=T0 + timedelta(minutes=5))
    run = run.apply(tick=ids[10:], user_id="UB", now=T0 + timedelta(minutes=23))
    summary = summarise(run)
    assert summary.by_user == (("UA", tuple(ids[:10])), ("UB", tuple(ids[10:])))
    assert format_duration(summary.duration) == "23 min"


@pytest.mark.parametrize("minutes, text", [(0, "under a minute"), (5, "5 min"), (60, "1 h"), (125, "2 h 5 min"),
                                           (60 * 26, "1 d 2 h")])
def test_format_duration(minutes, text):
    assert format_duration(timedelta(minutes=minutes)) == text


def test_progress_bar():
    assert progress_bar(Progress(0, 15)) == "░" * 10
    assert progress_bar(Progress(1, 15)).startswith("█") and progress_bar(Progress(14, 15)).endswith("░")
    assert progress_bar(Progress(15, 15)) == "█" * 10


def test_export_is_redacted_and_complete(okta_run):
    run = okta_run.tick("okta-base-url", "U2", T0 + timedelta(minutes=3))
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl"
    run = type(run)(**{**run.__dict__, "checks": (CheckRun(
        item_id="okta-base-url", check="scim_url", user_id="U2", at=T0 + timedelta(minutes=2),
        findings=(CheckFinding("fail", "scim-url-missing-version", f"Path ends at /scim, not /scim/v2 {jwt}"),)),)})
    text = export_text(run, T0 + timedelta(hours=1))
    assert "SCIM 401 recovery: Okta [scim-401]" in text and "State: open, 1/15 steps done" in text
    assert "[x] okta-base-url" in text and "(U2, 2026-11-28 12:03 UTC)" in text and "[ ] okta-save" in text
    assert "scim_url for okta-base-url by U2" in text and "fail: Path ends at /scim" in text
    assert jwt not in text and "[a 61-character JSON Web Token, fingerprint " in text


@pytest.mark.parametrize("findings, expected", [
    ([("http-401-scim", "fail")], ("scim-401", None)),
    ([("entra-prov-SystemForCrossDomainIdentityManagementUnauthorized", "fail")], ("scim-401", "entra")),
    ([("okta-msg-scim-token-rejected", "fail")], ("scim-401", "okta")),
    ([("scim-url-missing-version", "fail")], ("scim-quick", None)),
    ([("aadsts-50011", "fail")], ("sso-quick", "entra")),
    ([("redirect-trailing-slash", "warn")], ("sso-quick", None)),
    ([("scim-url-ok", "ok")], None),
    ([("engine-menu", "info")], None),
])
def test_suggest_checklist(findings, expected):
    assert suggest_checklist(findings) == expected
