"""The one error boundary between listeners and the people using the app.

A ``UserError`` is something the user can fix: it becomes a friendly ephemeral
message. Anything else becomes "something went wrong (ref ABC123)" in Slack,
while the log gets the full traceback under the same reference, so a support
request can be matched to its log line.
"""

from __future__ import annotations

import logging
import secrets
import string
from typing import Any

from slack_bolt import App

from handlers.payload import team_id, user_id

log = logging.getLogger("sso_bot.errors")

_REF_ALPHABET = string.ascii_uppercase + string.digits


class UserError(Exception):
    """A problem with what the user asked for, with a next step."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def text(self) -> str:
        return f":warning: {self.message}" + (f"\n{self.hint}" if self.hint else "")


def new_ref() -> str:
    """A short reference id that a person can read out over the phone."""
    return "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))


def unexpected_text(ref: str) -> str:
    return (f":x: Something went wrong on our side (ref {ref}). Nothing you entered was lost; "
            "please try again, and if it keeps happening give this reference to whoever runs sso-bot.")


def register(app: App) -> None:
    @app.error
    def error_boundary(error: Exception, body: dict[str, Any], respond, logger) -> None:
        kind = body.get("type") or ("slash_command" if "command" in body else "unknown")
        report_failure(error, respond, request=kind, team=team_id(body) or "?", user=user_id(body) or "?")


def report_failure(error: BaseException, respond, *, request: str, team: str, user: str) -> None:
    """Tell the user what went wrong: their mistake in plain words, ours with a reference id that
    the log line carries too. Also used for work that finishes after the listener returned."""
    if isinstance(error, UserError):
        _reply(respond, error.text())
        return
    ref = new_ref()
    # Log the kind of request and the ids, not the body: it may hold a pasted secret.
    log.error("unhandled error ref=%s request=%s team=%s user=%s", ref, request, team, user, exc_info=error)
    _reply(respond, unexpected_text(ref))


def _reply(respond, text: str) -> None:
    if respond is None or getattr(respond, "response_url", None) is None:
        return  # events carry no response_url: the log line is all we can do
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except Exception:
        log.exception("could not tell the user about an error")

