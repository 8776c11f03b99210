"""Configuration, read from the environment in one place.

Every other module receives a ``Settings`` value; nothing else reads ``os.environ``. The variables are
read and validated by ``bot.settings_env`` (pydantic-settings), each validator turning a variable's text
into a value or a one-line ``SettingsError`` naming the variable, so start-up failures are readable in any
log, and no message echoes a token. When none of the variables is set, every setting is its default and
nothing needs reading: pydantic-settings (a third of a cold ``sso-bot diagnose``) is not imported then.
"""

from __future__ import annotations

import os
from typing import Mapping

from bot.settings_values import (DEFAULT_DATABASE_URL, DEFAULT_PORT, DEFAULT_SLACK_API_URL, VARIABLES, Settings,
                                 SettingsError)

__all__ = ["DEFAULT_DATABASE_URL", "DEFAULT_PORT", "DEFAULT_SLACK_API_URL", "VARIABLES", "Settings", "SettingsError",
           "load_settings"]


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from ``env`` (default: the process environment)."""
    given = os.environ if env is None else env
    if not any(name in given for name in VARIABLES):
        return Settings()  # the defaults, the same as reading an empty environment (tests/unit/test_settings.py)
    from bot.settings_env import read_settings  # lazily: pydantic-settings only when there is something to read

    return read_settings(env)
