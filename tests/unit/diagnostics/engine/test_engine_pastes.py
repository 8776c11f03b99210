"""The pastes in tests/data/pastes: what an admin copies from Entra, Okta, Keycloak, a SAML library
or a SCIM server. For each, the most likely cause must come first (tests/data/pastes/expected.toml).

When one of these fails, fix the engine or the knowledge patterns, not the expectation: the
expectation says what a support engineer would answer first.
"""

from __future__ import annotations

import tomllib

import pytest

from bot.diagnostics.engine import diagnose
from bot.diagnostics.report import Severity
from tests.conftest import REPO
from tests.unit.diagnostics.engine.test_engine_helpers import assert_wellformed, codes

PASTES = REPO / "tests" / "data" / "pastes"
EXPECTED = tomllib.loads((PASTES / "expected.toml").read_text(encoding="utf-8"))["paste"]


def _read(name: str) -> bytes:
    return (PASTES / name).read_bytes()


def test_every_paste_has_an_expectation_and_there_are_enough():
    listed = [p["file"] for p in EXPECTED]
    assert len(listed) == len(set(listed)), "a paste is listed twice"
    on_disk = sorted(p.name for p in PASTES.glob("*.txt"))
    assert sorted(listed) == on_disk
    assert len(listed) >= 30


@pytest.mark.parametrize("case", EXPECTED, ids=[p["file"] for p in EXPECTED])
def test_the_right_cause_comes_first(case, now):
    report = diagnose(_read(case["file"]), now=now)
    assert_wellformed(report)
    found = codes(report)
    assert found[0] == case["first"], f"{case['about']}: got {found[:5]}"
    missing = [code for code in case.get("also", []) if code not in found]
    assert not missing, f"{case['about']}: {missing} not in {found}"


@pytest.mark.parametrize("case", EXPECTED, ids=[p["file"] for p in EXPECTED])
def test_a_problem_paste_leads_with_something_to_do(case, now):
    first = diagnose(_read(case["file"]), now=now).findings[0]
    assert first.title
    if first.severity in (Severity.FAIL, Severity.WARN):
        assert first.fix, f"{first.code} gives no fix steps"


def test_no_finding_is_reported_twice(now):
    for case in EXPECTED:
        report = diagnose(_read(case["file"]), now=now)
        keys = [(f.code, f.title) for f in report.findings]
        assert len(keys) == len(set(keys)), case["file"]


def test_pasted_tokens_are_never_repeated(now):
    for name in ("jwt-expired-id-token.txt", "scim-bearer-jwt-expired.txt", "jwt-alg-none.txt"):
        text = _read(name).decode()
        token = next(word for word in text.split() if word.startswith("eyJ"))
        report = diagnose(text, now=now)
        assert report.secret_seen
        dumped = str(report.to_dict())
        for part in token.split("."):
            if len(part) >= 12:
                assert part[:12] not in dumped
