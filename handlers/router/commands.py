"""The one ``/sso`` listener and its table of subcommands.

Bolt runs only the first listener that matches a command, so every
subcommand is routed from here. The same table produces the help text and is
what the manifest test compares against, so help can never list a command
that does not exist.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.diagnostics.extract import unwrap_slack_links
from bot.redaction import looks_secret
from bot.settings import Settings
from handlers.shared.deps import Deps
from handlers.shared.errors import UserError
from handlers.router.views import help_fallback_text, render_help

log = logging.getLogger("sso_bot.commands")

SLASH_COMMAND = "/sso"
# Slack caps slash-command text far below this; anything longer is not a real paste worth reading.
MAX_COMMAND_TEXT = 100_000


@dataclass
class CommandContext:
    """Everything a subcommand needs; built once per /sso call."""

    args: str
    user_id: str
    team_id: str
    channel_id: str
    trigger_id: str
    respond: Respond
    client: WebClient
    deps: Deps
    settings: Settings


@dataclass
class Outcome:
    """What the audit log records about a call: kinds recognised, never the text."""

    input_kinds: Sequence[str] = ()
    outcome: str = "ok"
    detail: str = ""


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    # Returns the Outcome to audit, or None when the subcommand audits later itself (offloaded work).
    run: Callable[[CommandContext], Outcome | None] | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class Router:
    """The subcommand table. ``help`` is built in; others are added by feature modules."""

    subcommands: list[Subcommand] = field(default_factory=list)
    _help: tuple[int, dict[str, Any]] | None = field(default=None, repr=False)

    def add(self, sub: Subcommand) -> None:
        taken = {n for s in self.subcommands for n in (s.name, *s.aliases)}
        clash = taken & {sub.name, *sub.aliases}
        if clash:
            raise ValueError(f"subcommand name already taken: {sorted(clash)}")
        self.subcommands.append(sub)

    def find(self, name: str) -> Subcommand | None:
        name = name.lower()
        return next((s for s in self.subcommands if name == s.name or name in s.aliases), None)

    def suggest(self, name: str) -> str | None:
        names = [n for s in self.subcommands for n in (s.name, *s.aliases)]
        close = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
        if not close:
            return None
        found = self.find(close[0])
        return found.name if found else None

    def help_entries(self) -> list[tuple[str, str]]:
        return [(s.usage, s.summary) for s in self.subcommands]

    def plain_help(self) -> dict[str, Any]:
        """The help message as Slack JSON, built once per table: /sso help is the most frequent call,
        and its answer goes out in the ack, where every millisecond counts."""
        if self._help is None or self._help[0] != len(self.subcommands):
            entries = self.help_entries()
            message = {"text": help_fallback_text(entries), "blocks": [b.to_dict() for b in render_help(entries)]}
            self._help = (len(self.subcommands), message)
        return self._help[1]


HELP = Subcommand(name="help", usage="/sso help", summary="List what sso-bot can do (this message).")


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


def register(app: App, settings: Settings, deps: Deps, router: Router) -> None:
    @app.command(SLASH_COMMAND)
    def on_sso(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        text = str(command.get("text") or "")
        name, args = split_command(text[:MAX_COMMAND_TEXT])
        sub = router.find(name) if name else HELP
        if sub is None or sub is HELP or sub.run is None:
            _answer_with_help(ack, router, name if sub is None else None)
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
            deps=deps,
            settings=settings,
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


def _answer_with_help(ack: Ack, router: Router, unknown: str | None) -> None:
    if unknown is None:
        ack(response_type="ephemeral", **router.plain_help())
        return
    entries = router.help_entries()
    shown = unknown if _ECHOABLE.fullmatch(unknown) and not looks_secret(unknown) else ""
    blocks = render_help(entries, unknown=shown, suggestion=router.suggest(unknown))
    ack(response_type="ephemeral", text=help_fallback_text(entries), blocks=blocks)


def _audit(deps: Deps, command: dict[str, Any], action: str, outcome: Outcome) -> None:
    deps.audit.record(team_id=str(command.get("team_id", "")), user_id=str(command.get("user_id", "")),
                      action=action, input_kinds=outcome.input_kinds, outcome=outcome.outcome, detail=outcome.detail)
