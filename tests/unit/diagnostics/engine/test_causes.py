"""The cause behind an exact message: an entry names the entries that most often cause it (``caused_by``),
each of those says what in a paste is evidence for it (``cues``), and the engine shows the cause the paste
supports right after the message (bot/diagnostics/engine/causes.py).

The entries here are made up (a "frobnicator" library and its environment), so no other knowledge takes
part; one test at the end runs the packaged knowledge with a paste written for it."""

from __future__ import annotations

import shutil

import pytest

from bot.diagnostics.engine import diagnose
from bot.diagnostics.engine.causes import cue_pattern, cued_cause
from bot.knowledge import KnowledgeError, load_knowledge
from tests.conftest import REPO
from tests.unit.diagnostics.engine.test_engine_helpers import codes

_MESSAGE = """
[[entry]]
id = "msg-frobnicator-ticket-lost"
system = "message"
name = "Frobnicator: login ticket lost at the return page"
summary = "The frobnicator library found no login ticket when the user came back."
patterns = ["frobnicator: login ticket lost"]
caused_by = {caused_by}
"""

_ENVIRONMENT = """
[[entry]]
id = "msg-frob-balancer"
system = "message"
name = "Frobnicator replicas without shared tickets"
summary = "Several frobnicator replicas keep tickets in memory."
phrases = ["frobnicator replicas lose tickets"]
cues = ["replicas", "load balancer", "pods"]

[[entry]]
id = "msg-frob-browser"
system = "message"
name = "Frobnicator ticket cookie dropped by the browser"
summary = "The browser drops the frobnicator ticket cookie on the way back."
phrases = ["frobnicator cookie dropped in the browser"]
cues = ["safari", "iframe", "http://"]

[[entry]]
id = "msg-frob-plain"
system = "message"
name = "A frobnicator note with no cues"
summary = "Nothing in a paste points at this one."
phrases = ["plain frobnicator note"]
"""

LINE = "ERROR frobnicator: login ticket lost (request 4711)"


def _kb(tmp_path, caused_by='["msg-frob-balancer", "msg-frob-browser"]', extra=""):
    data = tmp_path / "kb"
    data.mkdir(parents=True)
    shutil.copy(REPO / "bot" / "knowledge" / "data" / "engine.toml", data / "engine.toml")
    (data / "frob.toml").write_text(_MESSAGE.format(caused_by=caused_by) + _ENVIRONMENT + extra)
    return load_knowledge(data)


@pytest.fixture
def kb(tmp_path):
    return _kb(tmp_path)


def test_without_evidence_the_message_stands_alone(kb, now):
    assert codes(diagnose(LINE, now=now, kb=kb)) == ["msg-frobnicator-ticket-lost"]


def test_a_cue_brings_its_cause_right_after_the_message(kb, now):
    report = diagnose(LINE + "\nIt started when we went from one to three replicas.", now=now, kb=kb)
    assert codes(report)[:2] == ["msg-frobnicator-ticket-lost", "msg-frob-balancer"]
    message, cause = report.findings[:2]
    assert cause.confidence == 0.5 and cause.confidence < message.confidence


def test_cues_are_whole_words_and_terms(kb, now):
    # "pods" inside "ipods" and "replicas" inside "replicaset" are no evidence; "http://" needs no word end.
    assert codes(diagnose(LINE + "\nour ipods and the replicaset", now=now, kb=kb)) == ["msg-frobnicator-ticket-lost"]
    assert cue_pattern("http://").search("see http://app.example.org/back")
    assert not cue_pattern("pods").search("ipods") and cue_pattern("load balancer").search("the load balancer.")


def test_the_cause_with_more_evidence_wins(kb, now):
    # One cue for the replicas, two for the browser: the browser's cookie comes second.
    paste = LINE + "\nOnly in Safari, and only when the app runs in an iframe; we have two replicas."
    report = diagnose(paste, now=now, kb=kb)
    assert codes(report)[:2] == ["msg-frobnicator-ticket-lost", "msg-frob-browser"]
    assert report.findings[1].confidence == 0.6


def test_on_a_tie_the_more_usual_cause_listed_first_wins(tmp_path, now):
    paste = LINE + "\nSafari users behind the load balancer"
    first = _kb(tmp_path / "a", '["msg-frob-balancer", "msg-frob-browser"]')
    second = _kb(tmp_path / "b", '["msg-frob-browser", "msg-frob-balancer"]')
    assert codes(diagnose(paste, now=now, kb=first))[1] == "msg-frob-balancer"
    assert codes(diagnose(paste, now=now, kb=second))[1] == "msg-frob-browser"


def test_a_cause_found_further_down_moves_up_and_is_shown_once(tmp_path, now):
    # The cause's own message is in the paste too, after another message: it moves to second place.
    extra = """
[[entry]]
id = "msg-frob-other"
system = "message"
name = "Another frobnicator message"
summary = "Printed next to the lost ticket."
patterns = ["frobnicator: retrying"]

[[entry]]
id = "msg-frob-replica-line"
system = "message"
name = "The replica line"
summary = "A frobnicator replica line."
patterns = ["frobnicator: replica \\\\d+ up"]
"""
    kb = _kb(tmp_path, '["msg-frob-balancer"]', extra)
    paste = LINE + "\nfrobnicator: retrying\nfrobnicator: replica 2 up, 3 replicas behind the load balancer"
    plain = codes(diagnose(paste.replace("replicas behind the load balancer", "in total"), now=now, kb=kb))
    assert plain[:2] == ["msg-frobnicator-ticket-lost", "msg-frob-other"]
    found = codes(diagnose(paste, now=now, kb=kb))
    assert found[:3] == ["msg-frobnicator-ticket-lost", "msg-frob-balancer", "msg-frob-other"]
    assert found.count("msg-frob-balancer") == 1


def test_cued_cause_skips_what_is_shown_already(kb):
    entry = kb.get("msg-frobnicator-ticket-lost")
    lowered = "three replicas, safari"
    assert cued_cause(entry, lowered, kb).entry.id == "msg-frob-balancer"
    assert cued_cause(entry, lowered, kb, present=frozenset({"msg-frob-balancer"})).entry.id == "msg-frob-browser"
    assert cued_cause(entry, "nothing to see", kb) is None


@pytest.mark.parametrize("caused_by, problem", [
    ('["msg-frob-missing"]', "caused_by 'msg-frob-missing' does not exist"),
    ('["msg-frob-plain"]', "caused_by 'msg-frob-plain' has no cues"),
])
def test_causes_must_exist_and_have_cues(tmp_path, caused_by, problem):
    with pytest.raises(KnowledgeError, match=problem):
        _kb(tmp_path, caused_by)


@pytest.mark.parametrize("cue", ["Replicas", "x", "a cue that is far too long to be one word or term", "prompt=none"])
def test_a_cue_is_a_short_lower_case_term(tmp_path, cue):
    bad = _ENVIRONMENT.replace('cues = ["replicas", "load balancer", "pods"]', f'cues = ["{cue}"]')
    data = tmp_path / "kb"
    data.mkdir()
    (data / "frob.toml").write_text(bad)
    with pytest.raises(KnowledgeError, match="cue"):
        load_knowledge(data)


def test_the_packaged_knowledge_names_a_cause_the_paste_supports(now):
    # An exact Keycloak message whose usual cause is the cluster, in a paste that says how it is deployed.
    paste = ("Keycloak event log: type=CODE_TO_TOKEN_ERROR, error=invalid_code\n"
             "Login works on our laptop setup; on the cluster with 4 pods it fails now and then.")
    found = codes(diagnose(paste, now=now))
    assert found[:2] == ["msg-keycloak-code-not-valid", "msg-keycloak-cluster-sessions"], found
    without = codes(diagnose(paste.splitlines()[0], now=now))
    assert "msg-keycloak-cluster-sessions" not in without[:2], without


def test_a_cause_of_one_product_needs_a_paste_that_shows_it(tmp_path, now):
    extra = """
[[entry]]
id = "msg-keycloak-frob-nodes"
system = "message"
name = "Keycloak nodes lose the frobnicator ticket"
summary = "A Keycloak-only cause."
phrases = ["keycloak nodes lose frobnicator tickets"]
cues = ["nodes"]
"""
    kb = _kb(tmp_path, '["msg-keycloak-frob-nodes"]', extra)
    assert codes(diagnose(LINE + "\nit happens on two nodes", now=now, kb=kb)) == ["msg-frobnicator-ticket-lost"]
    shown = codes(diagnose(LINE + "\nit happens on two Keycloak nodes", now=now, kb=kb))
    assert shown[:2] == ["msg-frobnicator-ticket-lost", "msg-keycloak-frob-nodes"]
