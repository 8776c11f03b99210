from __future__ import annotations

import os

import pytest

from bot.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings


def test_defaults():
    s = load_settings({})
    assert s.database_url == DEFAULT_DATABASE_URL == "sqlite:///sso-bot.db"
    assert s.port == 3000 and s.slack_api_url == "https://slack.com/api/"
    assert s.missing_for_http() == ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
    assert s.missing_for_socket() == ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]


def test_full_environment():
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "abc", "SLACK_APP_TOKEN": "xapp-1-x",
                       "SLACK_API_URL": "http://127.0.0.1:9000/api", "DATABASE_URL": "postgres://u:p@h/db",
                       "PORT": "8080", "SSO_BOT_ENVIRONMENTS": "prod=https://app.example.com/, dev=https://dev.example.com"})
    assert s.slack_api_url == "http://127.0.0.1:9000/api/"
    assert s.database_url == "postgresql+psycopg://u:p@h/db"
    assert s.port == 8080
    assert s.environments == {"prod": "https://app.example.com", "dev": "https://dev.example.com"}
    assert s.missing_for_http() == [] and s.missing_for_socket() == []


@pytest.mark.parametrize("env, variable", [
    ({"PORT": "eighty"}, "PORT"),
    ({"PORT": "70000"}, "PORT"),
    ({"PORT": "0"}, "PORT"),
    ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
    ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
    ({"SLACK_BOT_TOKEN": "xapp-wrong-kind"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "SLACK_APP_TOKEN"),
    ({"SSO_BOT_ENVIRONMENTS": "prod"}, "SSO_BOT_ENVIRONMENTS"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
])
def test_bad_values_name_the_variable_in_one_line(env, variable):
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    message = str(error.value)
    assert message.startswith(variable) and "\n" not in message


def test_a_misplaced_token_is_not_echoed():
    with pytest.raises(SettingsError) as error:
        load_settings({"SLACK_BOT_TOKEN": "xapp-1-A0-secretsecretsecret"})
    assert "secretsecret" not in str(error.value)


def test_the_variables_named_are_the_ones_read():
    from bot.settings_env import _Environment
    from bot.settings_values import VARIABLES

    assert VARIABLES == tuple(_Environment.model_fields)


def test_nothing_set_gives_what_reading_an_empty_environment_gives():
    from bot.settings import Settings
    from bot.settings_env import read_settings

    assert load_settings({"SSO_BOT_SHARED": "/elsewhere", "HOME": "/root"}) == read_settings({}) == Settings()


def test_a_cold_diagnose_reads_no_settings_when_nothing_is_set():
    """pydantic-settings is a third of a cold start: not imported when there is nothing to read. (pydantic
    itself may still load, to validate the knowledge when its cache is missing.)"""
    import subprocess
    import sys

    from bot.settings_values import VARIABLES

    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    code = ("import sys; from bot.cli import main; main(['diagnose', '--json', 'AADSTS50105']); "
            "print(sorted(m for m in sys.modules if m.startswith(('pydantic_settings', 'bot.settings_env'))))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr[-2000:]
