"""`sso-bot credentials …` and `sso-bot reminders run-once` as real processes against the fake Web API:
the issue's "done when", end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.support.payloads import reminder_band
from tests.unit.test_credentials import make_cert, make_jwt


@pytest.fixture
def cli(fake_slack, database_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "SSO_BOT_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-cli-test", SLACK_API_URL=fake_slack.api_url, DATABASE_URL=database_url,
               SSO_BOT_REMINDER_PACE="0")

    def run(*args: str, stdin: str | None = None, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", *args], env={**env, **extra}, cwd=tmp_path, input=stdin,
                              capture_output=True, text=True, timeout=120)

    return run


def _posts(fake) -> list[dict]:
    return [c.params for c in fake.calls_to("chat.postMessage")]


def test_done_when_from_the_command_line(cli, fake_slack, database_url, tmp_path):
    token = make_jwt(datetime.now(timezone.utc) + timedelta(days=5))
    added = cli("credentials", "add", "--label", "prod Entra SCIM", "--kind", "scim-token", "--idp", "entra",
                "--channel", "C0REMIND1", "--env", "prod", "--token-stdin", stdin=token)
    assert added.returncode == 0, added.stderr
    assert "red" in added.stdout and "fingerprint" in added.stdout and "due now" in added.stdout
    later = cli("credentials", "add", "--label", "okta later", "--kind", "scim-token", "--idp", "okta",
                "--channel", "C0REMIND2", "--expires-at", (date.today() + timedelta(days=90)).isoformat())
    assert later.returncode == 0, later.stderr

    dry = cli("reminders", "run-once", "--dry-run")
    assert "would post red reminder for 'prod Entra SCIM' in C0REMIND1" in dry.stdout and _posts(fake_slack) == []

    first = cli("reminders", "run-once")
    assert first.returncode == 0, first.stderr
    assert "posted 1 reminder" in first.stdout
    [red] = _posts(fake_slack)
    assert red["channel"] == "C0REMIND1" and reminder_band(red) == "Red" and "attachments" not in red

    second = cli("reminders", "run-once")
    assert "posted 0 reminder" in second.stdout and len(_posts(fake_slack)) == 1  # and nothing for 90 days out

    renewed = cli("credentials", "add", "--label", "prod entra scim", "--kind", "scim-token", "--idp", "entra",
                  "--channel", "C0REMIND1", "--issued-at", date.today().isoformat())
    assert renewed.returncode == 0 and renewed.stdout.startswith("renewed") and "resolved" in renewed.stdout
    third = cli("reminders", "run-once")
    assert "1 resolved" in third.stdout
    reply = _posts(fake_slack)[-1]
    assert reply["thread_ts"] and "Resolved" in reply["text"]
    assert "posted 0 reminder" in cli("reminders", "run-once").stdout
    assert len(_posts(fake_slack)) == 2

    listed = json.loads(cli("credentials", "list", "--json").stdout)
    assert {r["label"]: r["band"] for r in listed} == {"prod Entra SCIM": "ok", "okta later": "ok"}
    # days_left is a number (whole days, as the band counts them): both expire at 00:00 UTC of a date.
    assert {r["label"]: r["days_left"] for r in listed} == {
        r["label"]: (date.fromisoformat(r["expires_at"][:10]) - datetime.now(timezone.utc).date()).days - 1
        for r in listed}
    assert all(isinstance(r["days_left"], int) and r["days_left"] > 80 for r in listed)
    assert cli("credentials", "remove", "okta later").returncode == 0
    assert [r["label"] for r in json.loads(cli("credentials", "list", "--json").stdout)] == ["prod Entra SCIM"]

    on_disk = "\n".join(p.read_bytes().decode("latin-1") for p in Path(tmp_path).rglob("*") if p.is_file())
    if database_url.startswith("sqlite"):
        db_path = Path(database_url.removeprefix("sqlite:///"))
        on_disk += "\n".join(p.read_bytes().decode("latin-1") for p in db_path.parent.glob(db_path.name + "*"))
    everything = on_disk + fake_slack.everything_sent() + "".join(
        r.stdout + r.stderr for r in (added, dry, first, second, renewed, third))
    for part in token.split("."):
        assert part[:16] not in everything and part[-16:] not in everything


def test_a_secret_passed_as_an_argument_is_refused_and_not_echoed(cli):
    token = make_jwt(datetime.now(timezone.utc) + timedelta(days=5))
    result = cli("credentials", "add", "--label", "x", "--kind", "scim-token", "--idp", "entra", "--channel",
                 "C0REMIND1", "--token", token)
    assert result.returncode == 2 and "never pass a secret as an argument" in result.stderr
    assert token[:20] not in result.stderr + result.stdout
    assert json.loads(cli("credentials", "list", "--json").stdout) == []


def test_certificate_files_and_input_errors(cli, tmp_path):
    pem, _ = make_cert(datetime(2027, 2, 3, tzinfo=timezone.utc))
    (tmp_path / "idp.pem").write_text(pem)
    ok = cli("credentials", "add", "--label", "saml", "--kind", "saml-cert", "--idp", "entra", "--channel",
             "C0REMIND1", "--cert-file", str(tmp_path / "idp.pem"), "--team", "T0SSOBOT1")
    assert ok.returncode == 0, ok.stderr
    assert "2027-02-03 00:00" in ok.stdout
    opaque = cli("credentials", "add", "--label", "opaque", "--kind", "scim-token", "--idp", "okta", "--channel",
                 "C0REMIND1", "--token-stdin", stdin="Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbi12YWx1ZS0xMjM0NTY3ODkw")
    assert opaque.returncode == 2 and "generated" in opaque.stderr and "Zm9vYmFy" not in opaque.stderr
    channel = cli("credentials", "add", "--label", "c", "--kind", "scim-token", "--idp", "okta", "--channel",
                  "identity-ops", "--expires-at", "2027-01-01")
    assert channel.returncode == 2 and "channel id" in channel.stderr
    no_team = cli("credentials", "add", "--label", "t", "--kind", "scim-token", "--idp", "okta", "--channel",
                  "C0REMIND1", "--expires-at", "2027-01-01", SLACK_BOT_TOKEN="")
    assert no_team.returncode == 2 and "--team" in no_team.stderr
    missing = cli("credentials", "remove", "nothing-like-this")
    assert missing.returncode == 1
    no_token = cli("reminders", "run-once", SLACK_BOT_TOKEN="")
    assert no_token.returncode == 2 and "--dry-run" in no_token.stderr
