"""A tiny SMTP server for tests: counts connections and keeps every message it accepts."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes


class _Handler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        with self.server.lock:
            self.server.connections += 1
        self.reply("220 stub ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 stub")
            elif command.startswith("RCPT") and any(
                    refused.upper() in command for refused in self.server.refuse):
                self.reply("550 no such mailbox")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                with self.server.lock:
                    self.server.received.append(message_from_bytes(data))
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SmtpStub:
    """`with SmtpStub() as smtp:` serves on a free port; smtp.port, .connections, .received."""

    def __init__(self, port: int = 0, refuse: tuple[str, ...] = ()):
        self.server = _Server(("127.0.0.1", port), _Handler)
        self.server.connections = 0
        self.server.received = []
        self.server.refuse = refuse
        self.server.lock = threading.Lock()
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def connections(self) -> int:
        return self.server.connections

    @property
    def received(self) -> list:
        return self.server.received

    def recipients(self) -> list[str]:
        return [message["To"] for message in self.received]

    def configure(self, app) -> None:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=self.port, MAIL_TIMEOUT=5,
                          MAIL_USE_TLS=False, MAIL_USERNAME=None)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
