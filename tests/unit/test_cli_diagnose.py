"""``sso-bot diagnose`` as a user runs it: a separate process (``python -m bot``), no Slack at all."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys

import pytest

from tests.conftest import REPO

PASTES = REPO / "tests" / "data" / "pastes"


def _env(**extra: str) -> dict[str, str]:
    """A clean environment: no Slack credentials, no database, nothing from the developer's shell."""
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "SYSTEMROOT", "SSO_BOT_SHARED") if k in os.environ}
    return {**keep, "PYTHONIOENCODING": "utf-8", **extra}


def cli(*args: str, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot diagnose ARGS`` and return its exit code and decoded output."""
    done = subprocess.run([sys.executable, "-m", "bot", "diagnose", *args], input=stdin, capture_output=True,
                          cwd=REPO, env=_env(**env), timeout=60)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8"),
                                       done.stderr.decode("utf-8"))


# --------------------------------------------------------------------------- exit codes


def test_a_failing_finding_exits_1():
    done = cli("AADSTS50105")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("1 problem found")
    assert "AADSTS50105" in done.stdout


def test_nothing_failing_exits_0():
    done = cli("the", "weather", "is", "nice")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Nothing I recognise")
    ok = cli("https://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim/v2")
    assert ok.returncode == 0, ok.stdout


def test_no_text_is_a_usage_error():
    done = cli()
    assert done.returncode == 2
    assert "usage:" in done.stderr


def test_empty_stdin_is_a_usage_error():
    done = cli("-", stdin=b"")
    assert done.returncode == 2
    assert "nothing to diagnose" in done.stderr
    assert cli("-", stdin=b"  \n\t ").returncode == 2


def test_an_unknown_environment_is_a_usage_error():
    done = cli("--env", "nowhere", "AADSTS50105")
    assert done.returncode == 2
    assert "unknown environment" in done.stderr


# --------------------------------------------------------------------------- input and output


def test_json_output_shape_with_the_most_likely_cause_first():
    done = cli("--json", "-", stdin=(PASTES / "okta-task-401-token.txt").read_bytes())
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert {"inputs", "findings"} <= set(data)
    assert isinstance(data["inputs"], list) and data["inputs"]
    first = data["findings"][0]
    assert {"code", "severity", "title", "detail", "fix", "refs"} <= set(first)
    assert first["code"] == "okta-msg-scim-token-rejected"
    assert first["severity"] == "fail"
    assert isinstance(first["fix"], list) and first["fix"]


def test_a_json_body_piped_on_stdin():
    body = b'{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"uniqueness","status":"409"}'
    done = cli("--json", "-", stdin=body)
    data = json.loads(done.stdout)
    assert [f["code"] for f in data["findings"]] == ["scim-type-uniqueness", "http-409-scim"]
    assert "scim_error_body" in data["inputs"]


def test_a_saml_response_saved_as_utf16_is_read_from_stdin(corpus):
    """PowerShell's Out-File and '>' write UTF-16LE with a byte-order mark (corpus/tokens/saml_responses)."""
    value = (corpus / "tokens" / "saml_responses" / "invalids_status_code_responder.xml.base64").read_text()
    as_utf8 = json.loads(cli("--json", "-", stdin=value.encode("utf-8")).stdout)
    done = cli("--json", "-", stdin=value.encode("utf-16"))
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert "saml_response" in data["inputs"]
    assert [f["code"] for f in data["findings"]] == [f["code"] for f in as_utf8["findings"]]
    assert "saml-status-not-success" in [f["code"] for f in data["findings"]]


def test_binary_garbage_on_stdin_gets_the_menu():
    done = cli("--json", "-", stdin=bytes(range(256)) * 40)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"][0]["code"] == "engine-menu"


def test_a_token_on_the_command_line_is_not_printed():
    token = (PASTES / "jwt-expired-id-token.txt").read_text().split()[-1]
    done = cli(token)
    assert done.returncode == 1
    assert "held a token or secret" in done.stdout
    for part in token.split("."):
        assert part[:12] not in done.stdout


def test_no_colour_when_piped():
    assert "\033[" not in cli("AADSTS50105").stdout


def _on_a_terminal(*args: str, **env: str) -> str:
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "bot", "diagnose", *args], stdout=follower,
                                stderr=subprocess.PIPE, cwd=REPO, env=_env(TERM="xterm", **env))
        os.close(follower)
        chunks: list[bytes] = []
        while True:
            ready, _, _ = select.select([leader], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=30)
        return b"".join(chunks).decode("utf-8", errors="replace")
    finally:
        os.close(leader)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color():
    assert "\033[1;31mFAIL" in _on_a_terminal("AADSTS50105")
    assert "\033[" not in _on_a_terminal("AADSTS50105", NO_COLOR="1")


# --------------------------------------------------------------------------- what it loads


def test_diagnose_imports_neither_slack_nor_sql():
    probe = (
        "import sys, io, contextlib\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['diagnose', 'AADSTS50011 https://a.example.com/cb vs https://a.example.com/cb/'])\n"
        "heavy = ('slack_sdk', 'slack_bolt', 'sqlalchemy', 'sqlmodel', 'alembic', 'handlers', 'storage', 'httpx')\n"
        "print(rc, sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, env=_env(),
                          timeout=60)
    assert done.stdout.strip() == "1 []", done.stderr
