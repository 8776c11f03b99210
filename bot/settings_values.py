"""The settings' values and names, without reading them (no pydantic: see ``bot.settings``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from bot.diagnostics.scim.template import DEFAULT_TEMPLATE, ScimTemplate
from bot.live.policy import Allowance
from bot.reminders import DEFAULT_SCHEDULE_TEXT

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
    # The product's SCIM base URL shape (bot.diagnostics.scim.template); URLs of other shapes get the generic checks.
    scim_url_template: ScimTemplate = DEFAULT_TEMPLATE
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
    # The key that seals SCIM tokens kept for the opt-in daily live check (bot.live.vault); None: not offered.
    probe_key: str | None = field(default=None, repr=False)

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


#: The environment variables the settings are read from, as the environment spells them (case matters);
#: the fields of ``bot.settings_env._Environment`` (tests/unit/test_settings.py holds them equal).
VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "DATABASE_URL", "PORT", "SSO_BOT_ENVIRONMENTS", "SSO_BOT_SCIM_URL_TEMPLATE", "SSO_BOT_LISTENER_THREADS", "SSO_BOT_WORKER_PROCESSES", "LOG_LEVEL", "SSO_BOT_ADMINS", "SSO_BOT_REMINDER_SCHEDULE", "SSO_BOT_REMINDER_PACE", "SSO_BOT_PROBE_ALLOW", "SSO_BOT_PROBE_CA_FILE", "SSO_BOT_PROBE_KEY")
