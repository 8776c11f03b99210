from __future__ import annotations

import logging

from bot.logs import RedactingFormatter, redact


def test_redacts_slack_tokens_jwts_and_bearer_values():
    text = ("xoxb-1234567890-abcdefghijkl eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl "
            "Authorization: Bearer abcdefghijklmnopqrstuvwxyz xapp-1-A0123456-abcdefghij")
    out = redact(text)
    assert "xoxb-1234567890" not in out and "eyJhbGci" not in out and "abcdefghijklmnop" not in out
    assert "xapp-1-A0123456" not in out
    assert out.count("[redacted]") == 4


def test_plain_text_is_untouched():
    assert redact("AADSTS50011 reply URL mismatch for app 1234") == "AADSTS50011 reply URL mismatch for app 1234"


def test_formatter_redacts_tracebacks_too():
    formatter = RedactingFormatter("%(message)s")
    try:
        raise ValueError("bad token xoxb-1234567890-abcdefghijkl")
    except ValueError as error:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, (type(error), error, None))
    assert "xoxb-1234567890" not in formatter.format(record)
