"""The log formatter hides secrets with the same shapes every report is sealed against (bot.redaction)."""

from __future__ import annotations

import io
import logging

from bot.logs import RedactingFormatter, configure_logging
from bot.redaction import redact_text


def test_redacts_slack_tokens_jwts_and_bearer_values():
    text = ("xoxb-1234567890-abcdefghijkl eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl "
            "Authorization: Bearer abcdefghijklmnopqrstuvwxyz xapp-1-A0123456-abcdefghij")
    out = redact_text(text)
    assert "xoxb-1234567890" not in out and "eyJhbGci" not in out and "abcdefghijklmnop" not in out
    assert "xapp-1-A0123456" not in out
    assert out.count(", fingerprint ") == 4
    assert "[a 28-character Slack bot token, fingerprint" in out


def test_plain_text_is_untouched():
    assert redact_text("AADSTS50011 reply URL mismatch for app 1234") == "AADSTS50011 reply URL mismatch for app 1234"


def test_formatter_redacts_tracebacks_too():
    formatter = RedactingFormatter("%(message)s")
    try:
        raise ValueError("bad token xoxb-1234567890-abcdefghijkl")
    except ValueError as error:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, (type(error), error, None))
    assert "xoxb-1234567890" not in formatter.format(record)


def test_named_fields_cookies_and_url_passwords_are_hidden_in_log_lines_too():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("DEBUG", stream=stream)
        logging.getLogger("sso_bot.test").debug(
            "POST client_secret=Qx9~sEcReTvAlUe123 Cookie: sid=Zx81234567abcdef https://bob:Pa55word!@x.example.com")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    line = stream.getvalue()
    assert "Qx9~sEcReTvAlUe123" not in line and "Zx81234567abcdef" not in line and "Pa55word!" not in line
    assert line.count(", fingerprint ") == 3
