"""Office hours of the programme staff in Copenhagen and Boston (New York time zone).

Used to tell an enquirer when to expect a reply: "staff are at work now", or when the
next office opens, in both offices' local times (the weekday named in the enquirer's
language by bot/conversation/tickets.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.common.errors import ConfigError

COPENHAGEN = "Europe/Copenhagen"
NEW_YORK = "America/New_York"
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class OfficeHours:
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    zones: tuple[str, ...] = (COPENHAGEN, NEW_YORK)
    weekdays: frozenset[int] = frozenset(range(5))  # Monday to Friday

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """``"09:00-17:00"``: the same local hours in both offices, Monday to Friday."""
        match = _RANGE.match(text.strip())
        if not match:
            raise ConfigError(f"OFFICE_HOURS must look like 09:00-17:00: {text!r}")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            opens, closes = time(h1, m1), time(h2, m2)
        except ValueError:
            raise ConfigError(f"OFFICE_HOURS has an impossible time: {text!r}") from None
        if opens >= closes:
            raise ConfigError(f"OFFICE_HOURS must open before it closes: {text!r}")
        return cls(opens, closes)

    def is_open(self, now: datetime) -> bool:
        for zone in self.zones:
            local = now.astimezone(ZoneInfo(zone))
            if local.weekday() in self.weekdays and self.opens <= local.time() < self.closes:
                return True
        return False

    def next_opening(self, now: datetime) -> datetime:
        """The earliest moment after ``now`` at which an office opens (UTC)."""
        candidates = []
        for zone in self.zones:
            tz = ZoneInfo(zone)
            local = now.astimezone(tz)
            for days in range(8):
                day = (local + timedelta(days=days)).date()
                start = datetime.combine(day, self.opens, tzinfo=tz)
                if start > now and day.weekday() in self.weekdays:
                    candidates.append(start.astimezone(UTC))
                    break
        return min(candidates)


def local_time(moment: datetime, zone: str) -> str:
    """'09:00' in ``zone``."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def weekday(moment: datetime, zone: str) -> int:
    """The day of the week of ``moment`` in ``zone``: 0 for Monday (named in each
    language's messages, ``weekdays``)."""
    return moment.astimezone(ZoneInfo(zone)).weekday()


def days_ahead(moment: datetime, zone: str, now: datetime) -> int:
    """How many calendar days after ``now`` the day of ``moment`` is, both in ``zone``:
    0 for today, 1 for tomorrow."""
    tz = ZoneInfo(zone)
    return (moment.astimezone(tz).date() - now.astimezone(tz).date()).days
