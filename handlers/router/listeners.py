"""The one ``/sso`` listener: it routes every subcommand through the table the features filled
(``deps.hooks.router``) and answers help, and unknown words, itself.

Bolt runs only the first listener that matches a command, so every subcommand is routed from here.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.diagnostics.extract import unwrap_slack_links
from bot.redaction import looks_secret
from handlers.router.help import help_fallback_text, render_help
from handlers.shared.commands import CommandContext, Outcome, Router, Subcommand
from handlers.shared.deps import Deps
from handlers.shared.errors import UserError

log = logging.getLogger("sso_bot.commands")

SLASH_COMMAND = "/sso"
# Slack caps slash-command text far below this; anything longer is not a real paste worth reading.
MAX_COMMAND_TEXT = 100_000

HELP = Subcommand(name="help", usage="/sso help", summary="List everything sso-bot can do.")


def split_command(text: str) -> tuple[str, str]:
    """Split '/sso <sub> <args>' text into the subcommand word and the rest (whitespace kept inside)."""
    match = _FIRST_WORD.match(text.strip())
    return (match.group(1), match.group(2).strip()) if match else ("", "")


_FIRST_WORD = re.compile(r"(\S+)\s*(.*)", re.DOTALL)


def from_slack(text: str) -> str:
    """What the user typed, from Slack's encoding of it: links ``<url|label>`` become the URL, and the
    three characters Slack escapes (``&lt;`` ``&gt;`` ``&amp;``) are restored, so a pasted XML or JSON
    body reaches the checks as it was pasted."""
    text = unwrap_slack_links(text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# A word worth echoing back in "X is not a command": short letters and hyphens (a mistyped command has
# no digits; a token nearly always does), and nothing bot.redaction calls a secret.
_ECHOABLE = re.compile(r"[A-Za-z][A-Za-z_-]{0,23}")


def register(app: App, deps: Deps) -> None:
    router = deps.hooks.router
    help_message = _HelpMessage(router)

    @app.command(SLASH_COMMAND)
    def on_sso(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        text = str(command.get("text") or "")
        name, args = split_command(text[:MAX_COMMAND_TEXT])
        sub = router.find(name) if name else HELP
        if sub is None or sub is HELP or sub.run is None:
            _answer_with_help(ack, help_message, name if sub is None else None)
            _audit(deps, command, "help" if sub is not None else "unknown", Outcome(outcome="help"))
            return
        ack()
        ctx = CommandContext(
            args=from_slack(args),
            user_id=str(command.get("user_id", "")),
            team_id=str(command.get("team_id", "")),
            channel_id=str(command.get("channel_id", "")),
            trigger_id=str(command.get("trigger_id", "")),
            respond=respond,
            client=client,
        )
        try:
            outcome = sub.run(ctx)
        except UserError:
            _audit(deps, command, sub.name, Outcome(outcome="user_error"))
            raise
        except Exception:
            _audit(deps, command, sub.name, Outcome(outcome="error"))
            raise
        if outcome is not None:
            _audit(deps, command, sub.name, outcome)


class _HelpMessage:
    """The help message as Slack JSON, built once per table: /sso help is the most frequent call,
    and its answer goes out in the ack, where every millisecond counts."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._built: tuple[int, dict[str, Any]] | None = None

    def plain(self) -> dict[str, Any]:
        if self._built is None or self._built[0] != len(self.router.subcommands):
            entries = self.router.help_entries()
            message = {"text": help_fallback_text(entries), "blocks": [b.to_dict() for b in render_help(entries)]}
            self._built = (len(self.router.subcommands), message)
        return self._built[1]


def _answer_with_help(ack: Ack, help_message: _HelpMessage, unknown: str | None) -> None:
    router = help_message.router
    if unknown is None:
        ack(response_type="ephemeral", **help_message.plain())
        return
    entries = router.help_entries()
    shown = unknown if _ECHOABLE.fullmatch(unknown) and not looks_secret(unknown) else ""
    blocks = render_help(entries, unknown=shown, suggestion=router.suggest(unknown))
    ack(response_type="ephemeral", text=help_fallback_text(entries), blocks=blocks)


def _audit(deps: Deps, command: dict[str, Any], action: str, outcome: Outcome) -> None:
    deps.audit.record(team_id=str(command.get("team_id", "")), user_id=str(command.get("user_id", "")),
                      action=action, input_kinds=outcome.input_kinds, outcome=outcome.outcome, detail=outcome.detail)
