"""The ``/sso`` subcommand table every feature adds its subcommands to (``Router``), and what a
subcommand receives (``CommandContext``) and returns (``Outcome``).

The router feature (``handlers/router``) owns the one ``/sso`` listener and answers from this
table; the same table produces the help text and is what the manifest test compares against, so
help can never list a command that does not exist.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable, Sequence

from slack_bolt import Respond
from slack_sdk import WebClient


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
