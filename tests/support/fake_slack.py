"""A fake Slack Web API on an ephemeral loopback port.

It records every call (method, parameters, headers) and answers the methods
sso-bot uses with the shapes Slack documents. ``response_url`` posts are
served too. Faults can be scripted per method (a 429 with Retry-After, a 500,
a delay) to test retries; nothing here sleeps to wait for the app.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TEAM_ID = "T0SSOBOT1"
BOT_USER_ID = "U0SSOBOT1"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]

    @property
    def raw(self) -> str:
        return json.dumps(self.params, sort_keys=True)


@dataclass
class Fault:
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        # Where apps.connections.open points Socket Mode clients (see fake_socket_mode.py).
        self.socket_mode_url: str | None = None
        # Threads by (channel, thread ts): what conversations.replies answers.
        self.threads: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # Uploaded files by id, served at /files/<id> to a request carrying the bot token (url_private).
        self.files: dict[str, bytes] = {}
        self.file_token: str | None = None
        # Files the app uploads (files.getUploadURLExternal, then the bytes to the upload URL on this loopback
        # server, then files.completeUploadExternal): id -> {"filename", "length", "data", "shared"}.
        self.app_uploads: dict[str, dict[str, Any]] = {}
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-slack", daemon=True)

    # -- lifecycle -------------------------------------------------------
    def start(self) -> "FakeSlack":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, key: str = "1") -> str:
        return f"{self.base}/response_url/{key}"

    # -- inspection and scripting ----------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def everything_sent(self) -> str:
        """All parameters the app sent, as one string: for 'this secret never reached Slack' asserts."""
        with self._lock:
            return "\n".join(c.raw for c in self.calls)

    def add_user(self, user_id: str, *, is_admin: bool = False, is_owner: bool = False, tz: str = "UTC",
                 real_name: str = "", display_name: str = "") -> None:
        self.users[user_id] = {"id": user_id, "team_id": TEAM_ID, "name": user_id.lower(), "is_admin": is_admin,
                               "is_owner": is_owner, "tz": tz, "deleted": False, "is_bot": False,
                               "real_name": real_name,
                               "profile": {"real_name": real_name, "display_name": display_name}}

    def upload(self, file_id: str, data: bytes, name: str, filetype: str) -> dict[str, Any]:
        """A file as a user uploaded it: the file object a ``file_input`` hands the app (``url_private``
        is served only with the bot token, as Slack does)."""
        self.files[file_id] = data
        url = f"{self.base}/files/{file_id}/{name}"
        return {"id": file_id, "name": name, "title": name, "filetype": filetype, "size": len(data),
                "mimetype": "application/octet-stream", "url_private": url, "url_private_download": url}

    def fail_next(self, method: str, fault: Fault, times: int = 1) -> None:
        with self._lock:
            self._faults.setdefault(method, []).extend([fault] * times)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._faults.clear()

    # -- answering --------------------------------------------------------
    def _record(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> Fault | None:
        with self._lock:
            self.calls.append(Call(method, params, headers))
            queue = self._faults.get(method)
            return queue.pop(0) if queue else None

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": "https://sso-bot-test.slack.com/", "team": "SSO Bot Test", "user": "sso-bot",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": "B0SSOBOT1", "is_enterprise_install": False}
        if method == "chat.postMessage":
            ts = f"{1700000000 + next(self._ts)}.000100"
            return {"ok": True, "channel": params.get("channel"), "ts": ts,
                    "message": {"type": "message", "text": params.get("text", ""), "ts": ts, "bot_id": "B0SSOBOT1"}}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text", "")}
        if method == "chat.unfurl":
            return {"ok": True}
        if method == "chat.getPermalink":
            ts = str(params.get("message_ts") or "")
            return {"ok": True, "channel": params.get("channel"),
                    "permalink": f"https://sso-bot-test.slack.com/archives/{params.get('channel')}/p{ts.replace('.', '')}"}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1700000000 + next(self._ts)}.000200"}
        if method in ("views.open", "views.update", "views.push"):
            view = params.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {**(view or {}), "id": f"V{next(self._ts):08d}"}}
        if method == "views.publish":
            return {"ok": True, "view": {"id": f"V{next(self._ts):08d}", "type": "home"}}
        if method == "apps.connections.open":
            if self.socket_mode_url is None:
                return {"ok": False, "error": "not_allowed_token_type"}
            return {"ok": True, "url": self.socket_mode_url}
        if method == "conversations.replies":
            key = (str(params.get("channel")), str(params.get("ts")))
            if key not in self.threads:
                return {"ok": False, "error": "thread_not_found"}
            return {"ok": True, "messages": self.threads[key], "has_more": False}
        if method == "files.getUploadURLExternal":
            file_id = f"F0UP{next(self._ts):06d}"
            self.app_uploads[file_id] = {"filename": params.get("filename"), "length": int(params.get("length") or 0),
                                         "data": None, "shared": None}
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/v1/{file_id}"}
        if method == "files.completeUploadExternal":
            listed = params.get("files")
            listed = json.loads(listed) if isinstance(listed, str) else listed or []
            done = []
            for item in listed:
                upload = self.app_uploads.get(str(item.get("id")))
                if upload is None or upload["data"] is None:
                    return {"ok": False, "error": "file_not_found" if upload is None else "file_upload_not_complete"}
                upload["shared"] = {"channel_id": params.get("channel_id"), "thread_ts": params.get("thread_ts"),
                                    "title": item.get("title"), "initial_comment": params.get("initial_comment")}
                done.append({"id": item["id"], "title": item.get("title"), "name": upload["filename"]})
            return {"ok": True, "files": done}
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        return {"ok": False, "error": "unknown_method"}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                parts = path.split("/")
                authorization = self.headers.get("Authorization", "")
                fake._record("files.download", {"path": path}, {"authorization": authorization[:12]})
                if len(parts) < 3 or parts[1] != "files" or parts[2] not in fake.files:
                    self._send(404, {"ok": False, "error": "file_not_found"})
                    return
                if fake.file_token is not None and authorization != f"Bearer {fake.file_token}":
                    # Slack answers an unauthenticated url_private with its sign-in page.
                    page = b"<!DOCTYPE html><html><title>Slack</title></html>"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    self.wfile.write(page)
                    return
                data = fake.files[parts[2]]
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length) if length else b""
                raw = data.decode("utf-8", "replace")
                params = _parse(raw, self.headers.get("Content-Type", ""))
                path = urlsplit(self.path).path
                headers = {k.lower(): v for k, v in self.headers.items()}
                if path.startswith("/api/"):
                    method = path[len("/api/"):]
                elif path.startswith("/upload/v1/"):  # the upload URL files.getUploadURLExternal handed out
                    self._receive_upload(path.rsplit("/", 1)[-1], data, headers)
                    return
                elif path.startswith("/response_url/"):
                    method = "response_url"
                    params = {**params, "_key": path.rsplit("/", 1)[-1]}
                else:
                    self._send(404, {"ok": False, "error": "not_found"})
                    return
                fault = fake._record(method, params, headers)
                if fault is not None:
                    if fault.delay:
                        time.sleep(fault.delay)  # a slow Slack, on purpose; the test decides how slow
                    self._send(fault.status, fault.body if fault.body is not None else {"ok": False, "error": "fatal_error"},
                               fault.headers)
                    return
                self._send(200, {"ok": True} if method == "response_url" else fake._answer(method, params))

            def _receive_upload(self, file_id: str, data: bytes, headers: dict[str, str]) -> None:
                # the bytes are recorded as text too, so everything_sent() covers what the app uploads
                fake._record("upload", {"file_id": file_id, "data": data.decode("utf-8", "replace")}, headers)
                upload = fake.app_uploads.get(file_id)
                if upload is None:
                    self._send(404, {"ok": False, "error": "not_found"})
                    return
                upload["data"] = data
                body = f"OK - {len(data)}".encode("utf-8")  # Slack's upload host answers in plain text
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if content_type.startswith("application/json"):
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            return {"_unparsed": raw}
        return data if isinstance(data, dict) else {"_json": data}
    return {key: values[0] if len(values) == 1 else values for key, values in parse_qs(raw).items()}
