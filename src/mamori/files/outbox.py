"""An email outbox folder: one RFC 5322 message file per notice, for the mail relay to pick up.

Writing .eml files rather than speaking SMTP keeps mamori off the mail path: the organisation's
relay (with its signing and logging) sends them, and the files are the record of what was sent.
"""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import quote

from mamori.services.incidents.notices import Message


class EmailOutbox:
    """Writes messages under `root/<incident>/` (atomically) and the manifest beside them."""

    channel = "email-outbox"

    def __init__(self, root: Path, incident_id: str, sender: str, domain: str = "example.com") -> None:
        self.folder = root / incident_id
        self.sender = sender
        self.domain = domain

    def put(self, message: Message) -> str:
        """Write one message file; return its Message-ID."""
        self.folder.mkdir(parents=True, exist_ok=True)
        mail = EmailMessage()
        message_id = make_msgid(domain=self.domain)
        mail["From"] = self.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Message-ID"] = message_id
        mail.set_content(message.body, charset="utf-8")
        # A subject id is data, not a path: quoting keeps "/" and ".." from leaving the folder.
        target = self.folder / f"{quote(message.subject_id, safe='')}.eml"
        temporary = target.with_suffix(".tmp")
        temporary.write_bytes(bytes(mail))
        os.replace(temporary, target)
        return message_id

    def put_manifest(self, incident_id: str, text: str) -> None:
        """Write the delivery manifest."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{incident_id}-deliveries.csv").write_text(text, encoding="utf-8")
