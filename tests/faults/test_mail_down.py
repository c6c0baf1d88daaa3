"""The mail server is down: actions still succeed (they only queue mail), mail waits in the
outbox, and `flask mail send-outbox` delivers it to a real SMTP server once one is listening."""

from __future__ import annotations

import socket
import socketserver
import threading
from email import message_from_bytes

import pytest
from sqlalchemy import select

from portfolio.auth.models import User
from portfolio.extensions import db
from portfolio.mail.models import OutboxMessage
from tests.factories import make_user


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 test ESMTP")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 test")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.received.append(message_from_bytes(data))
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@pytest.fixture
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_invitation_succeeds_while_mail_is_down_and_is_sent_later(app, client, login, runner,
                                                                   free_port):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port, MAIL_TIMEOUT=2,
                      MAIL_USE_TLS=False)  # nothing listens on the port yet
    admin = make_user(admin=True)
    db.session.commit()
    login(admin)
    response = client.post("/admin/users/invite", data={"email": "new.coach@example.test",
                                                        "display_name": "New Coach"})
    assert response.status_code == 302  # the action succeeded
    assert db.session.scalar(select(User).where(User.email == "new.coach@example.test"))
    message = db.session.scalar(select(OutboxMessage))
    db.session.refresh(message)
    assert message.status == "pending" and message.attempts == 0  # the page only queued it

    # Down: the command says so and keeps the message.
    result = runner.invoke(args=["mail", "send-outbox"])
    assert "Sent 0; 1 still waiting." in result.output
    db.session.refresh(message)
    assert message.attempts == 1 and message.last_error

    server = socketserver.ThreadingTCPServer(("127.0.0.1", free_port), _SMTPHandler)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = runner.invoke(args=["mail", "send-outbox"])
    finally:
        server.shutdown()
        server.server_close()
    assert "Sent 1; 0 still waiting." in result.output
    assert [mail["To"] for mail in server.received] == ["new.coach@example.test"]
    assert "/account/invitation/" in server.received[0].get_payload(decode=True).decode()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == "sent"
    # Nothing is sent twice.
    assert "Sent 0; 0 still waiting." in runner.invoke(args=["mail", "send-outbox"]).output
