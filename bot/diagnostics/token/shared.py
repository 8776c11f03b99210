"""What every part of the token check shares: its references, the recovery steps, and how moments
and lengths of time are shown.

Each part writes its findings as ``Finding(code="token-...", ...)`` at the place it decides on them
(tests/unit/knowledge/test_check_codes.py reads those calls to match every code with its knowledge
entry).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

REF_JWT = "https://www.rfc-editor.org/rfc/rfc7519#section-4.1"
REF_JWS = "https://www.rfc-editor.org/rfc/rfc7515#section-2"
REF_JWS_ALG = "https://www.rfc-editor.org/rfc/rfc7515#section-4.1.1"
REF_JWT_BCP = "https://www.rfc-editor.org/rfc/rfc8725#section-2.1"
REF_JWE = "https://www.rfc-editor.org/rfc/rfc7516#section-3"
REF_BEARER = "https://www.rfc-editor.org/rfc/rfc6750#section-2.1"
REF_ENTRA_QUARANTINE = (
    "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-quarantine-status"
)

# A generation or issue time this far ahead is the issuer's clock, not the token.
CLOCK_SKEW = timedelta(minutes=5)

RECOVERY_STEPS = (
    "Generate a new token in the product: Settings → SSO & Provisioning → SCIM 2.0 → Generate Key, "
    "and copy it at once (it is masked once you leave the page).",
    "Paste it into the IdP: Entra → Enterprise apps → your app → Provisioning → Admin Credentials → "
    "Secret Token; Okta → Applications → your app → Provisioning → Integration → OAuth Bearer Token.",
    "Run Test Connection (Entra) or Test API Credentials (Okta), save, and restart provisioning if it "
    "was paused or quarantined.",
    "Allow up to 10 minutes for the next sync cycle, then set a reminder before the new token's expiry.",
)


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def fmt(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def span(delta: timedelta) -> str:
    """A human length of time: '3 days', '5 hours', '12 minutes' (about N years past 400 days)."""
    seconds = abs(delta.total_seconds())
    days = seconds / 86400
    if days >= 2:
        whole = int(days)
        text = f"{whole:,} days"
        if whole >= 400:
            text += f" (about {days / 365.25:.1f} years)"
        return text
    if seconds >= 7200:
        return f"{int(seconds // 3600)} hours"
    if seconds >= 120:
        return f"{int(seconds // 60)} minutes"
    return f"{int(seconds)} seconds"
