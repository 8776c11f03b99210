"""Read the files admins attach: HAR captures of a sign-in, provisioning or System Log exports, and SAML
Responses saved as files.

Pure core (no Slack, no SQL). One entry point, :func:`analyse_file`, takes a path or an open binary
stream, works out what the file is (``detect``), reads it incrementally (``har_read``, ``export_read``)
with every credential redacted as it is read (``redact``), and returns a ``SafeReport`` sealed by the
one redaction boundary (``report``). A file it cannot read gets a report that says what the file is
and what to send instead.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from bot.diagnostics import explain  # a finding's text from the knowledge (not a check: nothing is judged there)
from bot.files.detect import HEAD_BYTES, Sniffed, sniff
from bot.files.export import ExportUnreadable, analyse_export
from bot.files.export_read import Utf8Reader, text_stream
from bot.files.har import analyse_har
from bot.files.har_read import HarUnreadable
from bot.files.report import sealed_report
from bot.files.saml_file import MAX_SAML_BYTES, analyse_saml
from bot.redaction import SafeReport

__all__ = ["analyse_file", "analyse_stream", "MAX_FILE_BYTES", "REFUSED_INPUT"]

MAX_FILE_BYTES = 1 << 30  # 1 GiB: the reader streams, so the cap is on patience, not memory
REFUSED_INPUT = "file_refused"
SUBJECT = "file"


def analyse_file(path: str | os.PathLike, *, now: datetime | None = None, expect_audience: str = "") -> SafeReport:
    """The sealed report about the file at ``path`` (OSError when it cannot be opened). ``expect_audience``
    is the SP's entity ID, when known: every SAML Response in the file is compared with it."""
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as stream:
        return analyse_stream(stream, name=path.name, size=size, now=now, expect_audience=expect_audience)


def analyse_stream(stream: IO[bytes], *, name: str = "", size: int | None = None,
                   now: datetime | None = None, expect_audience: str = "") -> SafeReport:
    """The sealed report about the file in ``stream`` (a seekable binary stream at its start)."""
    now = now or datetime.now(timezone.utc)
    if size is not None and size > MAX_FILE_BYTES:
        return _refusal(Sniffed("refused", reason="file-refused-too-large", values={"size_mib": str(size >> 20)}),
                        name)
    head = stream.read(HEAD_BYTES)
    sniffed = sniff(head, name, size=size)
    if sniffed.kind == "refused":
        return _refusal(sniffed, name)
    stream.seek(0)
    try:
        if sniffed.kind == "har":
            if sniffed.encoding == "utf-8-sig":
                stream.read(3)  # the byte-order mark (mitmproxy's with-bom.har has one)
            elif sniffed.encoding != "utf-8":  # ijson reads UTF-8: a UTF-16 capture is re-encoded as it streams
                stream = Utf8Reader(text_stream(stream, sniffed.encoding))
            result = analyse_har(stream, now=now, expect_audience=expect_audience)
            return sealed_report(SUBJECT, result.findings, result.inputs, result.secrets)
        if sniffed.kind == "saml":
            return _saml(stream, sniffed, name, now, expect_audience)
        findings, inputs = analyse_export(stream, sniffed.kind, sniffed.encoding, head, now=now)
        return sealed_report(SUBJECT, findings, inputs)
    except (HarUnreadable, ExportUnreadable) as problem:
        return _refusal(Sniffed("refused", reason=problem.reason, values=problem.values, howto=problem.howto), name)


def _saml(stream: IO[bytes], sniffed: Sniffed, name: str, now: datetime, expect_audience: str) -> SafeReport:
    data = stream.read(MAX_SAML_BYTES + 1)
    if len(data) > MAX_SAML_BYTES:
        return _refusal(Sniffed("refused", reason="file-refused-saml-too-large"), name)
    text = data.decode(sniffed.encoding, "replace").lstrip("\ufeff")
    findings, inputs = analyse_saml(text, now=now, expect_audience=expect_audience)
    return sealed_report(SUBJECT, findings, inputs, [text, *text.split()])


def _refusal(sniffed: Sniffed, name: str) -> SafeReport:
    """The file-not-readable finding, in the words of the refusal's reason: its title says what the file is,
    its fix steps, then the how-to's, what to send instead."""
    reason = explain.check_finding(sniffed.reason, values=sniffed.values)
    howto = explain.check_finding(sniffed.howto).fix if sniffed.howto else ()
    # The file's name, when it has one, picks the wording of the title ("x.zip is ..." or "This is ...").
    named = {"file_name": name, "what_named": reason.title} if name else {"what_unnamed": reason.title}
    finding = explain.check_finding("file-not-readable", values={**named, "next_step": " ".join((*reason.fix, *howto))})
    return sealed_report(SUBJECT, [finding], [REFUSED_INPUT])
