"""What every ``sso-bot`` command shares: exit codes, argument types, the database, and how dates read."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def date_arg(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def colour_wanted(stream=None) -> bool:
    """Colour on a terminal, unless ``NO_COLOR`` is set (https://no-color.org: any value, even empty) or
    ``TERM=dumb``; ``FORCE_COLOR`` (any value but "0" or empty) turns it on even when piped. NO_COLOR wins."""
    import os

    stream = stream if stream is not None else sys.stdout
    if "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def own_command() -> str:
    """How to run this program again: ``sso-bot`` when it is on PATH, else the path it was started by
    (``.venv/bin/sso-bot`` after ``make run``)."""
    import os
    import shutil

    invoked = sys.argv[0] if sys.argv and os.path.basename(sys.argv[0]) == "sso-bot" else ""
    if not invoked or shutil.which("sso-bot") == os.path.abspath(invoked):
        return "sso-bot" if invoked or shutil.which("sso-bot") else "python -m bot"
    return os.path.relpath(invoked)



def version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sso-bot")
    except PackageNotFoundError:
        return "unknown"




def moment_arg(value: str):
    from datetime import datetime

    try:
        return date_arg(value)
    except argparse.ArgumentTypeError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD) or an ISO 8601 time") from None


def cli_user() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"[:32]
    except Exception:
        return "cli"


def open_migrated(settings: Settings):
    """The configured database, migrated (``runtime.offline``: the CLI itself imports no storage)."""
    from runtime.offline import open_migrated as opened

    return opened(settings)



def band(expires_at, now) -> str:
    from bot.reminders import band_of

    return band_of(expires_at, now).value


def left(expires_at, now) -> str:
    from bot.reminders import time_left

    phrase = time_left(expires_at, now)
    return phrase[3:] + " left" if phrase.startswith("in ") else f"expired {phrase}"


def utc(moment) -> str:
    from bot.clock import utc_text

    return utc_text(moment, suffix=False)
