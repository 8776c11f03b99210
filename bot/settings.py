"""Configuration, read from the environment in one place.

Every other module receives a ``Settings`` value; nothing else reads
``os.environ``. A bad value raises ``SettingsError`` whose message is one line
naming the variable, so start-up failures are readable in any log.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Mapping
from urllib.parse import urlsplit

from bot.live.policy import Allowance, AllowanceError, parse_allowance
from bot.reminders import DEFAULT_SCHEDULE_TEXT, parse_schedule

DEFAULT_DATABASE_URL = "sqlite:///sso-bot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000


class SettingsError(ValueError):
    """A configuration value is missing or malformed. The message names the variable."""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = DEFAULT_PORT
    # Known SCIM environments, e.g. {"prod": "https://app.example.com"}; used by the SCIM URL check.
    environments: Mapping[str, str] = field(default_factory=dict)
    # Listener threads: enough that a listener sleeping on a 429 cannot hold up another's ack.
    listener_threads: int = 32
    # Processes that run the CPU work after an ack (diagnosis, rendering, the reply); 0 = in the listener.
    worker_processes: int = 1
    log_level: str = "INFO"
    # Slack user ids allowed to add, renew and remove tracked credentials besides workspace admins and owners.
    admins: frozenset[str] = frozenset()
    # When expiry reminders post, relative to the expiry (see bot.reminders.parse_schedule).
    reminder_schedule: str = DEFAULT_SCHEDULE_TEXT
    # Seconds between two messages in one channel: Slack allows about one a second per channel.
    reminder_pace: float = 1.0
    # Hosts and networks live checks may reach although they are not public (self-hosted IdPs), and a CA
    # bundle to trust instead of the public roots (an internal CA); see bot.live.policy.
    probe_allow: Allowance = field(default_factory=Allowance)
    probe_ca_file: str | None = None

    def missing_for_http(self) -> list[str]:
        return [name for name, value in (
            ("SLACK_BOT_TOKEN", self.bot_token),
            ("SLACK_SIGNING_SECRET", self.signing_secret),
        ) if not value]

    def missing_for_socket(self) -> list[str]:
        return [name for name, value in (
            ("SLACK_BOT_TOKEN", self.bot_token),
            ("SLACK_APP_TOKEN", self.app_token),
        ) if not value]


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    return Settings(
        bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-"),
        signing_secret=_optional(env, "SLACK_SIGNING_SECRET"),
        app_token=_token(env, "SLACK_APP_TOKEN", "xapp-"),
        slack_api_url=_api_url(env),
        database_url=_database_url(env),
        port=_port(env),
        environments=_environments(env),
        listener_threads=_positive_int(env, "SSO_BOT_LISTENER_THREADS", 32),
        worker_processes=_non_negative_int(env, "SSO_BOT_WORKER_PROCESSES", 1),
        log_level=_log_level(env),
        admins=_admins(env),
        reminder_schedule=_schedule(env),
        reminder_pace=_pace(env),
        probe_allow=_probe_allow(env),
        probe_ca_file=_probe_ca_file(env),
    )


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _token(env: Mapping[str, str], name: str, prefix: str) -> str | None:
    value = _optional(env, name)
    if value is not None and not value.startswith(prefix):
        # Never echo the value: it may be a real secret pasted into the wrong variable.
        raise SettingsError(f"{name} must start with {prefix!r} (check you copied the right token)")
    return value


def _api_url(env: Mapping[str, str]) -> str:
    value = _optional(env, "SLACK_API_URL") or DEFAULT_SLACK_API_URL
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_SLACK_API_URL}, got {value!r}")
    return value if value.endswith("/") else value + "/"


def _database_url(env: Mapping[str, str]) -> str:
    value = _optional(env, "DATABASE_URL") or DEFAULT_DATABASE_URL
    scheme = value.split(":", 1)[0]
    # Accept the libpq-style scheme people copy from their provider and use psycopg 3.
    if scheme in ("postgres", "postgresql"):
        value = "postgresql+psycopg:" + value.split(":", 1)[1]
        scheme = "postgresql+psycopg"
    if scheme not in ("sqlite", "postgresql+psycopg"):
        raise SettingsError(
            f"DATABASE_URL must start with sqlite:/// or postgresql+psycopg://, got scheme {scheme!r}"
        )
    return value


def _port(env: Mapping[str, str]) -> int:
    port = _positive_int(env, "PORT", DEFAULT_PORT)
    if port > 65535:
        raise SettingsError(f"PORT must be between 1 and 65535, got {port}")
    return port


def _non_negative_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = _optional(env, name)
    if raw is None:
        return default
    if not raw.isdigit():
        raise SettingsError(f"{name} must be 0 or a positive whole number, got {raw!r}")
    return int(raw)


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = _optional(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, got {value}")
    return value


def _environments(env: Mapping[str, str]) -> dict[str, str]:
    raw = _optional(env, "SSO_BOT_ENVIRONMENTS")
    if raw is None:
        return {}
    result: dict[str, str] = {}
    for item in raw.split(","):
        name, sep, url = item.strip().partition("=")
        parts = urlsplit(url.strip())
        if not sep or not name.strip() or parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(
                f"SSO_BOT_ENVIRONMENTS must look like 'prod=https://app.example.com,dev=https://dev.example.com'; "
                f"bad item {item.strip()!r}"
            )
        result[name.strip()] = url.strip().rstrip("/")
    return result


def _log_level(env: Mapping[str, str]) -> str:
    value = (_optional(env, "LOG_LEVEL") or "INFO").upper()
    if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {value!r}")
    return value


_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def _admins(env: Mapping[str, str]) -> frozenset[str]:
    raw = _optional(env, "SSO_BOT_ADMINS")
    if raw is None:
        return frozenset()
    ids = [item for item in re.split(r"[\s,]+", raw) if item]
    bad = [item for item in ids if not _USER_ID.match(item)]
    if bad:
        raise SettingsError(f"SSO_BOT_ADMINS must be Slack user ids like U012AB3CD, separated by commas; "
                            f"bad item {bad[0][:24]!r}")
    return frozenset(ids)


def _schedule(env: Mapping[str, str]) -> str:
    raw = _optional(env, "SSO_BOT_REMINDER_SCHEDULE")
    if raw is None:
        return DEFAULT_SCHEDULE_TEXT
    try:
        parse_schedule(raw)
    except ValueError as error:
        raise SettingsError(f"SSO_BOT_REMINDER_SCHEDULE: {error}") from None
    return raw


def _pace(env: Mapping[str, str]) -> float:
    raw = _optional(env, "SSO_BOT_REMINDER_PACE")
    if raw is None:
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"SSO_BOT_REMINDER_PACE must be a number of seconds, got {raw!r}") from None
    if not 0 <= value <= 60:
        raise SettingsError(f"SSO_BOT_REMINDER_PACE must be between 0 and 60 seconds, got {raw!r}")
    return value


def _probe_allow(env: Mapping[str, str]) -> Allowance:
    try:
        return parse_allowance(_optional(env, "SSO_BOT_PROBE_ALLOW"))
    except AllowanceError as error:
        raise SettingsError(f"SSO_BOT_PROBE_ALLOW takes host names and networks separated by commas "
                            f"('idp.corp.example,10.20.0.0/16'): {error}") from None


def _probe_ca_file(env: Mapping[str, str]) -> str | None:
    path = _optional(env, "SSO_BOT_PROBE_CA_FILE")
    if path is not None and not os.path.isfile(path):
        raise SettingsError(f"SSO_BOT_PROBE_CA_FILE must name a PEM file of CA certificates; {path[:120]!r} "
                            "is not a file")
    return path
