"""A fake Slack Socket Mode endpoint: a WebSocket server on loopback (RFC 6455, text frames).

The fake Web API's ``apps.connections.open`` hands out this server's ``ws://`` URL
(slack_sdk's built-in client skips TLS on a port other than 443, for testing).
Tests push envelopes with ``send`` and block on ``receive`` for the app's
acknowledgement; nothing polls.
"""

from __future__ import annotations

import base64
import hashlib
import json
import queue
import socket
import struct
import threading
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketMode:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._conn: socket.socket | None = None
        self._connected = threading.Event()
        self.received: "queue.Queue[dict[str, Any]]" = queue.Queue()
        self._send_lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="fake-socket-mode", daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link"

    def start(self) -> "FakeSocketMode":
        self._thread.start()
        return self

    def stop(self) -> None:
        for sock in (self._conn, self._listener):
            if sock is not None:
                try:
                    sock.close()
                except OSError:
                    pass

    def wait_connected(self, timeout: float = 90) -> None:
        # Only a failure waits this long: a loaded CI machine can take tens of seconds to start a process
        # that imports the engine and migrates PostgreSQL; a connected app returns at once.
        if not self._connected.wait(timeout):
            raise TimeoutError("the app did not open a Socket Mode connection")

    def send(self, message: dict[str, Any]) -> None:
        assert self._conn is not None
        data = json.dumps(message).encode("utf-8")
        header = bytes([0x81]) + _length(len(data))
        with self._send_lock:
            self._conn.sendall(header + data)

    def receive(self, timeout: float = 10) -> dict[str, Any]:
        return self.received.get(timeout=timeout)

    # -- server side ----------------------------------------------------------
    def _serve(self) -> None:
        try:
            conn, _ = self._listener.accept()
        except OSError:
            return
        self._conn = conn
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        key = next(line.split(b":", 1)[1].strip() for line in request.split(b"\r\n")
                   if line.lower().startswith(b"sec-websocket-key"))
        accept = base64.b64encode(hashlib.sha1(key + _GUID.encode()).digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        self.send({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"},
                   "connection_info": {"app_id": "A0SSOBOT1"}})
        self._connected.set()
        self._read_frames(conn)

    def _read_frames(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        try:
            while True:
                head = reader.read(2)
                if len(head) < 2:
                    return
                opcode, length = head[0] & 0x0F, head[1] & 0x7F
                if length == 126:
                    length = struct.unpack(">H", reader.read(2))[0]
                elif length == 127:
                    length = struct.unpack(">Q", reader.read(8))[0]
                mask = reader.read(4) if head[1] & 0x80 else b"\0\0\0\0"
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(reader.read(length)))
                if opcode == 0x1:
                    self.received.put(json.loads(payload))
                elif opcode == 0x9:  # ping: answer pong with the same payload
                    with self._send_lock:
                        conn.sendall(bytes([0x8A]) + _length(len(payload)) + payload)
                elif opcode == 0x8:
                    return
        except (OSError, ValueError):
            return


def _length(n: int) -> bytes:
    if n < 126:
        return bytes([n])
    if n < 65536:
        return bytes([126]) + struct.pack(">H", n)
    return bytes([127]) + struct.pack(">Q", n)
