"""Daily: remind advisers a week before advice is due, and escalate late advice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tellonce.ehc.actions import do_send_advice_reminders


class Command(BaseCommand):
    help = "Send advice reminders (7 days before due) and escalations (once late)."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded, escalated = do_send_advice_reminders()
        self.stdout.write(f"{reminded} reminder(s), {escalated} escalation(s)")
