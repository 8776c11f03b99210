"""The one place a SCIM token is kept: encrypted, for the daily live check an admin opted into.

By default sso-bot keeps a token's fingerprint and dates only. An admin may choose, per tracked SCIM
token, to keep the token so that a daily read-only check (``bot.live.daily``) notices a 401 before the
IdP quarantines the app. The token is then sealed with AES-256-GCM under a key that lives only in the
environment (``SSO_BOT_PROBE_KEY``): the database holds ciphertext that is useless without it.

The associated data binds a ciphertext to its row (team, credential id, generation), so a sealed token
copied onto another credential, or kept past a renewal, does not open. ``key_id`` (8 hex digits of a
hash of the key) is stored beside it, so a rotated key is told apart from tampering.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["Vault", "VaultError", "KEY_VARIABLE", "new_key", "row_context"]

KEY_VARIABLE = "SSO_BOT_PROBE_KEY"
_VERSION = b"\x01"
_NONCE = 12


class VaultError(ValueError):
    """A key or a sealed value that cannot be used; the message never holds either."""


def new_key() -> str:
    """A fresh key, as ``SSO_BOT_PROBE_KEY`` takes it (32 random bytes, URL-safe base64)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def row_context(team_id: str, credential_id: int, generation: int) -> bytes:
    """The associated data for one credential's token: what the ciphertext is bound to."""
    return f"sso-bot probe v1|{team_id}|{credential_id}|{generation}".encode()


class Vault:
    """Seals and opens tokens with one AES-256-GCM key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise VaultError(f"{KEY_VARIABLE} must be 32 bytes (44 characters of URL-safe base64); "
                             "make one with: python -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())'")
        self._aead = AESGCM(key)
        self.key_id = hashlib.sha256(b"sso-bot probe key id|" + key).hexdigest()[:8]

    @classmethod
    def from_text(cls, text: str) -> "Vault":
        """The vault for a key written as URL-safe base64 (the environment variable's form)."""
        cleaned = "".join(text.split())
        try:
            key = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
        except (binascii.Error, ValueError):
            raise VaultError(f"{KEY_VARIABLE} is not URL-safe base64") from None
        return cls(key)

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> "Vault | None":
        """The vault, or None when no key is set (the daily check is then not offered)."""
        text = (environ if environ is not None else os.environ).get(KEY_VARIABLE, "").strip()
        return cls.from_text(text) if text else None

    def seal(self, token: str, *, context: bytes) -> str:
        """``token`` encrypted and bound to ``context``, as text for a database column."""
        nonce = os.urandom(_NONCE)
        sealed = _VERSION + nonce + self._aead.encrypt(nonce, token.encode("utf-8"), context)
        return base64.urlsafe_b64encode(sealed).decode("ascii")

    def open(self, sealed: str, *, context: bytes) -> str:
        """The token sealed in ``sealed`` for ``context``; VaultError when the key, the row or the bytes differ."""
        try:
            raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raise VaultError("the sealed token is not base64") from None
        if len(raw) <= 1 + _NONCE or raw[:1] != _VERSION:
            raise VaultError("the sealed token has an unknown format")
        try:
            return self._aead.decrypt(raw[1:1 + _NONCE], raw[1 + _NONCE:], context).decode("utf-8")
        except InvalidTag:
            raise VaultError("the sealed token does not open with this key for this credential") from None
