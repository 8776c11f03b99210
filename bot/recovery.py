"""After a credential expired: Entra's quarantine clock, the recovery steps per kind and IdP, and what
breaks meanwhile. Pure text and dates, for the recovery thread of a reminder (``bot.reminders`` decides
when it is due)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import aware

__all__ = ["QuarantineClock", "entra_quarantine_clock", "recovery_steps", "expiry_effect"]

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class QuarantineClock:
    """Entra's quarantine timeline for a provisioning job whose token expired at ``started``.

    Entra retries a quarantined job about 6, 12 and 24 hours in, then once a day, and
    disables the job when the credentials are still failing 4 weeks on.
    """

    started: datetime
    retries: tuple[datetime, ...]  # +6 h, +12 h, +24 h
    daily_from: datetime  # +48 h, then every 24 h
    disabled_at: datetime  # +28 days

    def next_retry(self, now: datetime) -> datetime | None:
        now = aware(now)
        if now >= self.disabled_at:
            return None
        for moment in self.retries:
            if moment > now:
                return moment
        days = max(0, math.ceil((now - self.daily_from) / _DAY))
        candidate = self.daily_from + days * _DAY
        if candidate <= now:
            candidate += _DAY
        return candidate if candidate < self.disabled_at else None


def entra_quarantine_clock(expires_at: datetime) -> QuarantineClock:
    """Assume the first failing sync comes right at the expiry (Entra syncs every ~40 minutes)."""
    start = aware(expires_at)
    return QuarantineClock(
        started=start,
        retries=(start + timedelta(hours=6), start + timedelta(hours=12), start + timedelta(hours=24)),
        daily_from=start + timedelta(hours=48),
        disabled_at=start + timedelta(weeks=4),
    )


# Recovery steps for an expired credential, per kind and IdP. Facts from the vendor guide's
# section 6 (SCIM 401 recovery) and its Entra client-secret notes, in our own words.
_GENERATE_SCIM = (
    "In the platform, open *Settings → SSO & Provisioning*, check that SSO and *SCIM 2.0* are switched on, "
    "and press *Generate Key* beside *Access Token*.",
    "Copy the new token straight away with the copy icon (and the *SCIM Endpoint* URL too): the token is "
    "masked as soon as you leave the page and cannot be shown again.",
)
_SCIM_TAIL = "Give it up to 10 minutes: the platform applies SCIM changes on a 10-minute cycle."
_SCIM_STEPS = {
    "entra": (
        *_GENERATE_SCIM,
        "In the Microsoft Entra admin center go to *Entra ID → Enterprise apps →* your app *→ Provisioning* and "
        "open *Admin Credentials*.",
        "Put the SCIM Endpoint in *Tenant URL* and the new token in *Secret Token*.",
        "Press *Test Connection* and wait for it to succeed, then *Save*.",
        "If the job is paused or in quarantine, press *Restart provisioning*.",
        _SCIM_TAIL,
    ),
    "okta": (
        *_GENERATE_SCIM,
        "In the Okta Admin Console go to *Applications → Applications →* your app, tab *Provisioning*, "
        "*Settings → Integration*, and press *Edit*.",
        "Put the SCIM Endpoint in *SCIM 2.0 Base URL* and the new token in *OAuth Bearer Token*.",
        "Press *Test API Credentials* and wait for it to succeed, then *Save*.",
        "Check *Assignments* or *Push Groups*: pushes should succeed again on the next sync.",
        _SCIM_TAIL,
    ),
    "other": (
        *_GENERATE_SCIM,
        "In your IdP's provisioning settings, replace the two values: the SCIM Endpoint (often called Tenant URL, "
        "Base URL or SCIM connector base URL) and the token (Secret Token, Bearer Token or API Token).",
        "Run the IdP's connection test, save, and resume provisioning if it was paused.",
        _SCIM_TAIL,
    ),
}
_SECRET_STEPS = {
    "entra": (
        "In the Microsoft Entra admin center open *App registrations →* your app *→ Certificates & secrets* and "
        "add a *New client secret*.",
        "Copy its *Value* at once: Entra shows it only once.",
        "Replace the client secret in the platform's SSO settings, test a sign-in, then delete the expired secret.",
    ),
    "okta": (
        "In the Okta Admin Console open *Applications →* your app *→ General → Client Credentials* and generate "
        "a new client secret.",
        "Replace the client secret in the platform's SSO settings and test a sign-in.",
        "Deactivate and delete the old secret once sign-in works.",
    ),
    "other": (
        "Create a new client secret for the OIDC app in your IdP and copy it at once.",
        "Replace it in the platform's SSO settings, test a sign-in, then remove the old secret.",
    ),
}
_CERT_STEPS = {
    "entra": (
        "In the Microsoft Entra admin center open *Enterprise apps →* your app *→ Single sign-on → SAML "
        "Certificates* and create a new signing certificate.",
        "Make it active, then download the new certificate (or the federation metadata XML).",
        "Upload it to the platform's SSO settings and test a sign-in.",
    ),
    "okta": (
        "In the Okta Admin Console open *Applications →* your app *→ Sign On* and generate a new SAML signing "
        "certificate.",
        "Activate it and give the platform the new certificate or metadata.",
        "Test a sign-in.",
    ),
    "other": (
        "Create a new SAML signing certificate in your IdP and activate it.",
        "Give the platform the new certificate or metadata XML, then test a sign-in.",
    ),
}


def recovery_steps(kind: str, idp: str) -> tuple[str, ...]:
    """Numbered steps (Slack mrkdwn) to recover once a credential of ``kind`` expired at ``idp``."""
    table = {"scim-token": _SCIM_STEPS, "client-secret": _SECRET_STEPS, "saml-cert": _CERT_STEPS}.get(kind, _SCIM_STEPS)
    return table.get(idp, table["other"])


def expiry_effect(kind: str) -> str:
    """One sentence on what breaks when a credential of ``kind`` expires."""
    if kind == "client-secret":
        return ("OIDC sign-in through this app fails once its client secret expires (Entra reports "
                "AADSTS7000222), until the new secret is in place.")
    if kind == "saml-cert":
        return ("SAML sign-in fails once the signing certificate expires: the platform can no longer trust "
                "the IdP's responses.")
    return ("The IdP's provisioning calls now get 401 Unauthorized, so new users, group changes and removals "
            "stop reaching the platform. Sign-in itself keeps working, which is why this goes unnoticed.")
