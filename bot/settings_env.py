"""Settings read from the environment with pydantic-settings (``bot.settings`` imports this only when one of
the variables is set).

The environment is read by ``_Environment``, a pydantic-settings model whose fields are the variables'
names; each variable's validator turns its text into a value or raises a one-line message naming the
variable. ``read_settings`` turns the first such message into a ``SettingsError``, so start-up failures
are readable in any log. Inputs are kept out of pydantic's own error text (``hide_input_in_errors``), and
no message echoes a token.
"""

from __future__ import annotations

import os
import re
from typing import Annotated, Any, Mapping
from urllib.parse import urlsplit

from pydantic import InstanceOf, ValidationError, field_validator
from pydantic_settings import (BaseSettings, EnvSettingsSource, NoDecode, PydanticBaseSettingsSource,
                               SettingsConfigDict)

from bot.diagnostics.scim.template import DEFAULT_TEMPLATE, ScimTemplate, TemplateError, parse_template
from bot.live.policy import Allowance, AllowanceError, parse_allowance
from bot.live.vault import Vault, VaultError
from bot.reminders import DEFAULT_SCHEDULE_TEXT, parse_schedule
from bot.settings_values import (DEFAULT_DATABASE_URL, DEFAULT_PORT, DEFAULT_SLACK_API_URL, Settings,
                                 SettingsError)


def read_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``env`` (default: the process environment), every variable validated."""
    reader = _Environment if env is None else _Environment.reading(env)
    try:
        read = reader()
    except ValidationError as error:
        raise SettingsError(_first_message(error)) from None
    return Settings(bot_token=read.SLACK_BOT_TOKEN, signing_secret=read.SLACK_SIGNING_SECRET,
                    app_token=read.SLACK_APP_TOKEN, slack_api_url=read.SLACK_API_URL, database_url=read.DATABASE_URL,
                    port=read.PORT, environments=read.SSO_BOT_ENVIRONMENTS, listener_threads=read.SSO_BOT_LISTENER_THREADS,
                    worker_processes=read.SSO_BOT_WORKER_PROCESSES, log_level=read.LOG_LEVEL, admins=read.SSO_BOT_ADMINS,
                    reminder_schedule=read.SSO_BOT_REMINDER_SCHEDULE, reminder_pace=read.SSO_BOT_REMINDER_PACE,
                    probe_allow=read.SSO_BOT_PROBE_ALLOW, probe_ca_file=read.SSO_BOT_PROBE_CA_FILE,
                    probe_key=read.SSO_BOT_PROBE_KEY, scim_url_template=read.SSO_BOT_SCIM_URL_TEMPLATE)


def _first_message(error: ValidationError) -> str:
    """Our own one-line message for the first variable that failed (pydantic's would be several lines)."""
    first = error.errors(include_input=False)[0]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, ValueError):
        return str(cause)
    return f"{first['loc'][0] if first['loc'] else 'a variable'}: {first['msg']}"


# A variable whose text the validator parses itself (pydantic-settings would otherwise JSON-decode it).
Raw = NoDecode


class _Environment(BaseSettings):
    """The variables, as the environment spells them, in the order they are checked."""

    # A default is a value already, not text to parse: only what the environment says is validated.
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore", frozen=True, hide_input_in_errors=True,
                                      arbitrary_types_allowed=True, validate_default=False)

    SLACK_BOT_TOKEN: str | None = None
    SLACK_SIGNING_SECRET: str | None = None
    SLACK_APP_TOKEN: str | None = None
    SLACK_API_URL: str = DEFAULT_SLACK_API_URL
    DATABASE_URL: str = DEFAULT_DATABASE_URL
    PORT: int = DEFAULT_PORT
    SSO_BOT_ENVIRONMENTS: Annotated[dict[str, str], Raw] = {}
    SSO_BOT_SCIM_URL_TEMPLATE: Annotated[InstanceOf[ScimTemplate], Raw] = DEFAULT_TEMPLATE
    SSO_BOT_LISTENER_THREADS: int = 32
    SSO_BOT_WORKER_PROCESSES: int = 1
    LOG_LEVEL: str = "INFO"
    SSO_BOT_ADMINS: Annotated[frozenset[str], Raw] = frozenset()
    SSO_BOT_REMINDER_SCHEDULE: str = DEFAULT_SCHEDULE_TEXT
    SSO_BOT_REMINDER_PACE: float = 1.0
    SSO_BOT_PROBE_ALLOW: Annotated[InstanceOf[Allowance], Raw] = Allowance()
    SSO_BOT_PROBE_CA_FILE: str | None = None
    SSO_BOT_PROBE_KEY: str | None = None

    @classmethod
    def reading(cls, env: Mapping[str, str]) -> type["_Environment"]:
        """The same model reading ``env`` instead of the process environment (tests, embedding)."""

        class _FromMapping(EnvSettingsSource):
            def _load_env_vars(self) -> Mapping[str, str | None]:
                return dict(env)

        class _Given(cls):  # type: ignore[valid-type, misc]
            @classmethod
            def settings_customise_sources(cls, settings_cls: type[BaseSettings], *_sources: Any,
                                           **_named: Any) -> tuple[PydanticBaseSettingsSource, ...]:
                return (_FromMapping(settings_cls, case_sensitive=True),)

        return _Given

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, *_others: Any,
                                   **_named: Any) -> tuple[PydanticBaseSettingsSource, ...]:
        return (env_settings,)  # the process environment only: no .env reading behind the operator's back

    # Every validator sees the variable's text (blank means unset) and returns its value.
    @field_validator("SLACK_BOT_TOKEN", mode="before")
    @classmethod
    def _bot_token(cls, raw: Any) -> str | None:
        return _token(raw, "SLACK_BOT_TOKEN", "xoxb-")

    @field_validator("SLACK_APP_TOKEN", mode="before")
    @classmethod
    def _app_token(cls, raw: Any) -> str | None:
        return _token(raw, "SLACK_APP_TOKEN", "xapp-")

    @field_validator("SLACK_SIGNING_SECRET", "SSO_BOT_PROBE_CA_FILE", mode="before")
    @classmethod
    def _optional(cls, raw: Any, info: Any) -> str | None:
        value = _blank(raw)
        if info.field_name == "SSO_BOT_PROBE_CA_FILE" and value is not None and not os.path.isfile(value):
            raise ValueError(f"SSO_BOT_PROBE_CA_FILE must name a PEM file of CA certificates; {value[:120]!r} "
                             "is not a file")
        return value

    @field_validator("SLACK_API_URL", mode="before")
    @classmethod
    def _api_url(cls, raw: Any) -> str:
        value = _blank(raw) or DEFAULT_SLACK_API_URL
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_SLACK_API_URL}, got {value!r}")
        return value if value.endswith("/") else value + "/"

    @field_validator("DATABASE_URL", mode="before")
    @classmethod
    def _database_url(cls, raw: Any) -> str:
        value = _blank(raw) or DEFAULT_DATABASE_URL
        scheme = value.split(":", 1)[0]
        # Accept the libpq-style scheme people copy from their provider and use psycopg 3.
        if scheme in ("postgres", "postgresql"):
            value = "postgresql+psycopg:" + value.split(":", 1)[1]
            scheme = "postgresql+psycopg"
        if scheme not in ("sqlite", "postgresql+psycopg"):
            raise ValueError(f"DATABASE_URL must start with sqlite:/// or postgresql+psycopg://, got scheme {scheme!r}")
        return value

    @field_validator("PORT", mode="before")
    @classmethod
    def _port(cls, raw: Any) -> int:
        port = _positive_int(raw, "PORT", DEFAULT_PORT)
        if port > 65535:
            raise ValueError(f"PORT must be between 1 and 65535, got {port}")
        return port

    @field_validator("SSO_BOT_LISTENER_THREADS", mode="before")
    @classmethod
    def _listener_threads(cls, raw: Any) -> int:
        return _positive_int(raw, "SSO_BOT_LISTENER_THREADS", 32)

    @field_validator("SSO_BOT_WORKER_PROCESSES", mode="before")
    @classmethod
    def _worker_processes(cls, raw: Any) -> int:
        value = _blank(raw)
        if value is None:
            return 1
        if not value.isdigit():
            raise ValueError(f"SSO_BOT_WORKER_PROCESSES must be 0 or a positive whole number, got {value!r}")
        return int(value)

    @field_validator("SSO_BOT_ENVIRONMENTS", mode="before")
    @classmethod
    def _environments(cls, raw: Any) -> dict[str, str]:
        value = _blank(raw)
        result: dict[str, str] = {}
        for item in value.split(",") if value is not None else ():
            name, sep, url = item.strip().partition("=")
            parts = urlsplit(url.strip())
            if not sep or not name.strip() or parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"SSO_BOT_ENVIRONMENTS must look like 'prod=https://app.example.com,"
                                 f"dev=https://dev.example.com'; bad item {item.strip()!r}")
            result[name.strip()] = url.strip().rstrip("/")
        return result

    @field_validator("SSO_BOT_SCIM_URL_TEMPLATE", mode="before")
    @classmethod
    def _scim_url_template(cls, raw: Any) -> ScimTemplate:
        value = _blank(raw)
        if value is None:
            return DEFAULT_TEMPLATE
        try:
            return parse_template(value)
        except TemplateError as error:
            raise ValueError(f"SSO_BOT_SCIM_URL_TEMPLATE: {error}") from None

    @field_validator("LOG_LEVEL", mode="before")
    @classmethod
    def _log_level(cls, raw: Any) -> str:
        value = (_blank(raw) or "INFO").upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {value!r}")
        return value

    @field_validator("SSO_BOT_ADMINS", mode="before")
    @classmethod
    def _admins(cls, raw: Any) -> frozenset[str]:
        value = _blank(raw)
        ids = [item for item in re.split(r"[\s,]+", value) if item] if value is not None else []
        bad = [item for item in ids if not _USER_ID.match(item)]
        if bad:
            raise ValueError(f"SSO_BOT_ADMINS must be Slack user ids like U012AB3CD, separated by commas; "
                             f"bad item {bad[0][:24]!r}")
        return frozenset(ids)

    @field_validator("SSO_BOT_REMINDER_SCHEDULE", mode="before")
    @classmethod
    def _schedule(cls, raw: Any) -> str:
        value = _blank(raw)
        if value is None:
            return DEFAULT_SCHEDULE_TEXT
        try:
            parse_schedule(value)
        except ValueError as error:
            raise ValueError(f"SSO_BOT_REMINDER_SCHEDULE: {error}") from None
        return value

    @field_validator("SSO_BOT_REMINDER_PACE", mode="before")
    @classmethod
    def _pace(cls, raw: Any) -> float:
        value = _blank(raw)
        if value is None:
            return 1.0
        try:
            pace = float(value)
        except ValueError:
            raise ValueError(f"SSO_BOT_REMINDER_PACE must be a number of seconds, got {value!r}") from None
        if not 0 <= pace <= 60:
            raise ValueError(f"SSO_BOT_REMINDER_PACE must be between 0 and 60 seconds, got {value!r}")
        return pace

    @field_validator("SSO_BOT_PROBE_KEY", mode="before")
    @classmethod
    def _probe_key(cls, raw: Any) -> str | None:
        value = _blank(raw)
        if value is None:
            return None
        try:
            Vault.from_text(value)
        except VaultError:
            # Never echo the value: it is a key.
            raise ValueError("SSO_BOT_PROBE_KEY must be 32 random bytes in URL-safe base64 (44 characters); make "
                             "one with: python -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())'") from None
        return value

    @field_validator("SSO_BOT_PROBE_ALLOW", mode="before")
    @classmethod
    def _probe_allow(cls, raw: Any) -> Allowance:
        try:
            return parse_allowance(_blank(raw))
        except AllowanceError as error:
            raise ValueError(f"SSO_BOT_PROBE_ALLOW takes host names and networks separated by commas "
                             f"('idp.corp.example,10.20.0.0/16'): {error}") from None


_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def _blank(raw: Any) -> str | None:
    """The variable's text, stripped; None when it is unset or blank."""
    value = str(raw).strip() if raw is not None else ""
    return value or None


def _token(raw: Any, name: str, prefix: str) -> str | None:
    value = _blank(raw)
    if value is not None and not value.startswith(prefix):
        # Never echo the value: it may be a real secret pasted into the wrong variable.
        raise ValueError(f"{name} must start with {prefix!r} (check you copied the right token)")
    return value


def _positive_int(raw: Any, name: str, default: int) -> int:
    value = _blank(raw)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None
    if number < 1:
        raise ValueError(f"{name} must be at least 1, got {number}")
    return number
