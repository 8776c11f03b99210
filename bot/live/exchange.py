"""What one live request saw: the response, or why there was none. Plain data, no network code.

The probe (``bot.live.probe``) fills these in; the readers in ``bot/diagnostics/live/`` turn them
into findings. Nothing here holds a credential: the request's headers are not kept at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

__all__ = ["Exchange", "Failure", "Hop", "FAILURE_KINDS"]

#: Why a request got no usable answer. ``refused``, ``scheme`` and ``bad-url`` are the guard's own
#: refusals (nothing was sent); the others happened on the way.
FAILURE_KINDS = frozenset({
    "bad-url", "scheme", "refused", "dns", "connect", "timeout", "redirects", "protocol", "network",
    "tls-expired", "tls-not-yet-valid", "tls-self-signed", "tls-untrusted", "tls-hostname", "tls",
})


@dataclass(frozen=True)
class Failure:
    """``kind`` from FAILURE_KINDS; ``detail`` a short explanation in our words (never a secret);
    ``host`` and ``address`` what was refused or could not be reached."""

    kind: str
    detail: str = ""
    host: str = ""
    address: str = ""

    def __post_init__(self) -> None:
        if self.kind not in FAILURE_KINDS:
            raise ValueError(f"unknown failure kind {self.kind!r}")

    @property
    def refused_by_guard(self) -> bool:
        return self.kind in ("bad-url", "scheme", "refused")


@dataclass(frozen=True)
class Hop:
    """A redirect that was followed: from ``url``, status ``status``, to ``location``."""

    url: str
    status: int
    location: str


@dataclass(frozen=True)
class Exchange:
    """One GET: the URL asked for, the redirects followed, and the final answer or the failure.

    ``headers`` has lower-case names (repeated headers joined with ", "). ``body`` holds at most the
    probe's byte limit; ``truncated`` says the server sent more. ``received_at`` is our clock when the
    response's headers arrived; ``address`` the address the connection went to.
    """

    url: str
    final_url: str = ""
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    redirects: tuple[Hop, ...] = ()
    failure: Failure | None = None
    received_at: datetime | None = None
    address: str = ""

    @property
    def answered(self) -> bool:
        return self.failure is None and self.status is not None

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower case (``application/scim+json``)."""
        return self.header("content-type").split(";", 1)[0].strip().lower()

    def json(self) -> Any:
        """The body parsed as JSON, or None when it is not JSON (or was cut at the byte limit)."""
        if self.truncated or not self.body:
            return None
        try:
            return json.loads(self.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None

    def text(self, limit: int = 4000) -> str:
        """The start of the body as text, for looking at an HTML page."""
        return self.body[:limit].decode("utf-8", errors="replace")
