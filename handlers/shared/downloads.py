"""Fetch an uploaded file from Slack into a private temporary file, and delete it after use.

Slack serves ``url_private`` only with the bot token (``files:read``); anything else gets its sign-in
page, which is told apart from a file here. The token goes only to Slack's own file host (or the Slack
API host the app is configured with, the fake one in tests), never to a URL a payload could choose.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import urllib.request
from typing import Iterator
from urllib.parse import urlsplit

SLACK_FILE_HOSTS = frozenset({"files.slack.com"})
_CHUNK = 1 << 16


class DownloadError(ValueError):
    """Why the file could not be fetched, in words for the user."""


@contextlib.contextmanager
def downloaded(url: str, *, token: str, api_url: str, max_bytes: int, timeout: float = 30.0) -> Iterator[str]:
    """The path of a temporary copy of the file at ``url``, removed when the block ends."""
    _check_host(url, api_url)
    folder = tempfile.mkdtemp(prefix="sso-bot-file-")
    try:
        path = os.path.join(folder, "upload")
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response, open(path, "wb") as out:  # noqa: S310
            if "text/html" in (response.headers.get("Content-Type") or ""):
                raise DownloadError("Slack answered with a sign-in page instead of the file: the app needs the "
                                    "files:read permission (reinstall it from its settings page).")
            _copy(response, out, max_bytes)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check_host(url: str, api_url: str) -> None:
    parts, api = urlsplit(url), urlsplit(api_url)
    same_api_host = (parts.scheme, parts.netloc) == (api.scheme, api.netloc)
    if not (same_api_host or (parts.scheme == "https" and parts.hostname in SLACK_FILE_HOSTS)):
        raise DownloadError("That file is not on Slack's file host; upload it in the form again.")


def _copy(response, out, max_bytes: int) -> None:
    total = 0
    while chunk := response.read(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise DownloadError(f"The file is larger than {max_bytes // 1_000_000} MB. Export a shorter time range, "
                                "or run `sso-bot diagnose --file` on your own machine.")
        out.write(chunk)
