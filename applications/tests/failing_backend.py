"""An e-mail backend whose server is down: every send raises, like a refused SMTP connection."""

from django.core.mail.backends.base import BaseEmailBackend


class DownEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused (Testserver nicht erreichbar)")
