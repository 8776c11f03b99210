"""The vault that keeps a SCIM token for the daily check: AES-256-GCM, bound to its row, key from the environment."""

from __future__ import annotations

import base64

import pytest

from bot.live.vault import KEY_VARIABLE, Vault, VaultError, new_key, row_context

TOKEN = "9f2c1a7e4b8d0c3f6a1e5b9d2c7f4a8e1b6d3c0f"


def test_a_sealed_token_opens_with_the_same_key_and_row_only():
    vault = Vault.from_text(new_key())
    sealed = vault.seal(TOKEN, context=row_context("T1", 7, 2))
    assert TOKEN not in sealed and TOKEN[:12] not in base64.urlsafe_b64decode(sealed).decode("latin-1")
    assert vault.open(sealed, context=row_context("T1", 7, 2)) == TOKEN
    for other in (row_context("T2", 7, 2), row_context("T1", 8, 2), row_context("T1", 7, 3)):
        with pytest.raises(VaultError, match="does not open"):
            vault.open(sealed, context=other)
    with pytest.raises(VaultError, match="does not open"):
        Vault.from_text(new_key()).open(sealed, context=row_context("T1", 7, 2))


def test_two_seals_of_one_token_differ_and_a_flipped_bit_is_refused():
    vault = Vault.from_text(new_key())
    first, second = (vault.seal(TOKEN, context=b"x") for _ in range(2))
    assert first != second  # a fresh nonce each time: equal tokens do not show as equal rows
    raw = bytearray(base64.urlsafe_b64decode(first))
    raw[-1] ^= 1
    with pytest.raises(VaultError):
        vault.open(base64.urlsafe_b64encode(bytes(raw)).decode(), context=b"x")
    for garbage in ("", "not base64!!", base64.urlsafe_b64encode(b"\x02" + bytes(40)).decode()):
        with pytest.raises(VaultError):
            vault.open(garbage, context=b"x")


def test_the_key_comes_from_the_environment_and_bad_keys_say_how_to_make_one():
    assert Vault.from_environment({}) is None
    key = new_key()
    vault = Vault.from_environment({KEY_VARIABLE: key})
    assert vault is not None and len(vault.key_id) == 8 and vault.key_id == Vault.from_text(key).key_id
    assert Vault.from_text(new_key()).key_id != vault.key_id
    for bad in ("short-key-value", base64.urlsafe_b64encode(b"sixteen byte key").decode(), "not/base64?value"):
        with pytest.raises(VaultError) as raised:
            Vault.from_text(bad)
        assert KEY_VARIABLE in str(raised.value) and bad not in str(raised.value)
