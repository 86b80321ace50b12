"""Mail delivery: the outbox table (embedded default) or a real SMTP server.

The outbox lives here because it is a ledger table the operator reads in the console; the SMTP
sender sits beside it so that both implementations of the Mailer port are in one place.
"""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage

from mamori.errors import ConfigError
from mamori.ledger.portal_store import SqlPortalStore


class OutboxMailer:
    """Deliver into the outbox table; the console shows it (no mail leaves the machine)."""

    def __init__(self, store: SqlPortalStore) -> None:
        self.store = store

    def send(self, to: str, subject: str, body: str) -> None:
        """Put the message in the outbox."""
        self.store.add_mail(to, subject, body, datetime.now(UTC))


class SmtpMailer:
    """Deliver through an SMTP server (STARTTLS when the server offers it)."""

    def __init__(self, host: str, port: int, sender: str) -> None:
        self.host, self.port, self.sender = host, port, sender

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one message."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
                if smtp.has_extn("starttls"):
                    smtp.starttls()
                    smtp.ehlo()
                smtp.send_message(message)
        except OSError as exc:
            raise ConfigError(
                f"メールを送れません（{self.host}:{self.port}）：{exc}",
                f"cannot send mail via {self.host}:{self.port}: {exc}",
            ) from exc
