"""The opt-in daily check of a tracked SCIM token: what a night's result means and when to look again.

The check itself is ``bot.live.run.run_scim_check`` (read-only GETs through the SSRF guard); this module
only judges its report against the credential's own expiry date. The one alarm worth waking someone
for: the endpoint answers 401 or 403 while the token should still be valid. Entra ID then stops
provisioning and, after enough failed cycles, quarantines the app (the guide's quarantine clock), so
the 401-recovery steps are posted at once instead of on the expiry date. A token past its expiry date
is the expiry reminders' business, and an endpoint that cannot be reached is recorded, not alarmed:
it is more often our network than theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Literal

__all__ = ["ProbeVerdict", "judge_probe", "EVERY", "UNAUTHORIZED", "UNREACHABLE"]

EVERY = timedelta(days=1)
RETRY_UNREACHABLE = timedelta(hours=4)  # one dropped connection should not cost a day
UNAUTHORIZED = frozenset({"live-scim-unauthorized", "live-scim-forbidden", "live-scim-token-audience"})
UNREACHABLE = frozenset({"live-dns", "live-connect", "live-network", "live-timeout", "live-protocol",
                         "live-scim-server-error", "live-scim-rate-limited"})
Outcome = Literal["ok", "unauthorized", "unreachable", "broken"]


@dataclass(frozen=True)
class ProbeVerdict:
    """``alert``: post the 401-recovery steps now. ``code``: the finding that decided the outcome."""

    outcome: Outcome
    code: str
    alert: bool
    failures: int
    next_probe_at: datetime


def judge_probe(codes: Iterable[str], *, failed: bool, expires_at: datetime, now: datetime,
                previous_failures: int = 0) -> ProbeVerdict:
    """Judge one night's check from its findings' ``codes`` (in report order) and whether any failed."""
    codes = list(codes)
    rejected = next((c for c in codes if c in UNAUTHORIZED), None)
    if rejected is not None:
        return ProbeVerdict("unauthorized", rejected, alert=now < expires_at, failures=0, next_probe_at=now + EVERY)
    unreachable = next((c for c in codes if c in UNREACHABLE or c.startswith("live-tls")), None)
    if unreachable is not None:
        return ProbeVerdict("unreachable", unreachable, alert=False, failures=previous_failures + 1,
                            next_probe_at=now + (RETRY_UNREACHABLE if previous_failures < 2 else EVERY))
    if failed:  # the endpoint answered, wrongly (a 404 path, HTML, a refused address): a set-up problem
        first = next((c for c in codes if c not in ("live-scim-ok", "live-scim-replay")), codes[0] if codes else "")
        return ProbeVerdict("broken", first, alert=False, failures=0, next_probe_at=now + EVERY)
    return ProbeVerdict("ok", "live-scim-ok", alert=False, failures=0, next_probe_at=now + EVERY)
