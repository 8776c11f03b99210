"""``sso-bot explain``, the first view of ``sso-bot diagnose``, colour and the examples in ``--help``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.unit.test_cli_diagnose import _env


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, cwd=REPO, env=_env(**env),
                          timeout=60)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8"),
                                       done.stderr.decode("utf-8"))


def test_explain_is_a_look_up_that_exits_0():
    done = run("explain", "E0000011")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("What E0000011 (Invalid token exception) means")
    assert "problem" not in done.stdout.splitlines()[0] and "[FAIL]" not in done.stdout
    assert "Where to look:" in done.stdout  # a look-up shows everything unless --brief


def test_explain_takes_the_names_other_answers_refer_to():
    done = run("explain", "Redirect loop after sign-in")
    assert done.returncode == 0 and "SameSite" in done.stdout


def test_explain_of_nothing_known_says_so():
    done = run("explain", "zzzz qqqq")
    assert done.returncode == 1 and "no code or entry" in done.stderr


def test_a_symptom_guide_is_not_a_failure():
    done = run("diagnose", "users are stuck in a redirect loop after sign in")
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("What usually causes this")


def test_diagnose_leads_with_cause_and_fix_and_keeps_details_for_full():
    paste = ("AADSTS50011: The redirect URI 'https://app.example.com/cb/' specified in the request does not match "
             "the redirect URIs configured for the application 'x'.")
    short, full = run("diagnose", paste), run("diagnose", "--full", paste)
    assert short.returncode == full.returncode == 1
    assert "Where to look" not in short.stdout and "Where to look" in full.stdout
    assert short.stdout.index("Likely cause") < short.stdout.index("Fix:") < short.stdout.index("Register `https://app")
    assert "sso-bot explain" in full.stdout and "(symptom-" not in full.stdout


def test_json_keeps_every_key_and_adds_structured_lists():
    data = json.loads(run("diagnose", "--json", "AADSTS50105").stdout)
    first = data["findings"][0]
    assert {"code", "severity", "title", "detail", "fix", "refs", "facts", "confidence"} <= set(first)
    assert first["causes"] and first["where"] and first["collect"]


def test_force_color_and_no_color():
    assert "\033[1;31mFAIL" in run("diagnose", "AADSTS50105", FORCE_COLOR="1").stdout
    assert "\033[" not in run("diagnose", "AADSTS50105", FORCE_COLOR="1", NO_COLOR="").stdout  # NO_COLOR wins
    assert "\033[" not in run("diagnose", "AADSTS50105", FORCE_COLOR="0").stdout
    assert "\033[1;33mWARN" in run("diagnose", "AADSTS99999999", FORCE_COLOR="1").stdout  # every severity


def test_every_command_has_examples_in_its_help():
    from bot.cli import _parser
    from bot.cli.examples import commands

    parser = _parser()
    missing = []
    for command in ["", *commands(parser)]:
        done = run(*command.split(), "--help")
        if "examples:" not in done.stdout:
            missing.append(command or "sso-bot")
    assert not missing, f"no examples in --help of: {missing}"


@pytest.mark.parametrize("args", [("diagnose", "AADSTS50011"), ("explain", "AADSTS50011")])
def test_colour_off_when_piped(args):
    assert "\033[" not in run(*args).stdout
