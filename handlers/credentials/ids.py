"""The credentials feature's ids: Slack sends them back, so they are part of our contract."""

from __future__ import annotations

from enum import StrEnum


class CredentialIds(StrEnum):
    """Buttons (values: ``<credential id>:<generation>``; untrack: the id) and modals."""

    RENEW = "credential.renew"
    SNOOZE = "credential.snooze"  # one day (reminders posted before the other choices carry only this one)
    SNOOZE_WEEK = "credential.snooze_week"
    SNOOZE_UNTIL = "credential.snooze_until"  # opens the date picker
    SNOOZE_MODAL = "credential.snooze_modal"
    UNTRACK = "credential.untrack"
    OPEN_TRACK = "credential.open_track"
    TRACK_CERTIFICATE = "credential.track_certificate"
    TRACK_MODAL = "credential.track_modal"
    RENEW_MODAL = "credential.renew_modal"


class CredentialBlock(StrEnum):
    """Input blocks inside the track and renew modals (no listener of their own)."""

    LABEL = "credential.label"
    KIND = "credential.kind"
    IDP = "credential.idp"
    ENV = "credential.env"
    CHANNEL = "credential.channel"
    SECRET = "credential.secret"
    ISSUED = "credential.issued"
    EXPIRES = "credential.expires"
    SNOOZE_DATE = "credential.snooze_date"
