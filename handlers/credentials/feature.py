"""What the snooze buttons and the digest command need from the credentials feature.

`listeners.py` builds the feature and registers `snooze.py` and `digest.py` with it; they take it
as this protocol so that neither imports `listeners.py` back (no import circle, not even one that
only type checkers follow).
"""

from __future__ import annotations

from typing import Any, Protocol

from slack_bolt import Respond
from slack_sdk import WebClient

from handlers.shared.deps import Deps
from services.credentials import Tracked


class Admins(Protocol):
    def allowed(self, client: WebClient, user_id: str) -> bool: ...


class CredentialFeature(Protocol):
    deps: Deps
    admins: Admins

    def credential(self, body: dict[str, Any], credential_id: object) -> Tracked | None:
        """The team's tracked credential with that id, or None."""

    def clicked(self, body: dict[str, Any]) -> tuple[Tracked | None, int | None]:
        """The credential and generation a button's value names, or (None, None) when it is gone."""

    def allowed_or_refuse(self, client: WebClient, body: dict[str, Any], respond: Respond | None) -> bool:
        """True for an admin; otherwise tells the user why not, audits the refusal and returns False."""

    def tell(self, client: WebClient, body: dict[str, Any], respond: Respond | None, text: str) -> None:
        """A short note to the user who clicked: ephemeral in a channel, a small modal on Home."""
