"""Office hours in Copenhagen and New York: parsing OFFICE_HOURS, whether an office is
open at a given moment (weekends, both zones, the weeks when the US and EU clocks change
on different dates) and when the next office opens."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.common.errors import ConfigError
from bot.conversation.office_hours import (
    COPENHAGEN,
    NEW_YORK,
    OfficeHours,
    local_time,
    weekday,
)

pytestmark = pytest.mark.unit

HOURS = OfficeHours()


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# -- parse -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "opens", "closes"),
    [
        ("09:00-17:00", time(9, 0), time(17, 0)),
        ("9:00-17:00", time(9, 0), time(17, 0)),
        ("  08:30-16:45 ", time(8, 30), time(16, 45)),
        ("00:00-23:59", time(0, 0), time(23, 59)),
    ],
)
def test_parse_accepts_a_range(text: str, opens: time, closes: time) -> None:
    hours = OfficeHours.parse(text)
    assert (hours.opens, hours.closes) == (opens, closes)
    assert hours.zones == (COPENHAGEN, NEW_YORK)
    assert hours.weekdays == frozenset(range(5))


@pytest.mark.parametrize(
    "text",
    [
        "9-5",
        "17:00-09:00",
        "25:00-26:00",
        "09:00-09:00",
        "09:60-17:00",
        "09:00 - 17:00",
        "09:00",
        "",
        "nine to five",
    ],
)
def test_parse_rejects_bad_ranges_naming_the_setting(text: str) -> None:
    with pytest.raises(ConfigError, match="OFFICE_HOURS"):
        OfficeHours.parse(text)


def test_parse_default_matches_the_dataclass_default() -> None:
    assert OfficeHours.parse("09:00-17:00") == OfficeHours()


# -- is_open -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Winter (both on standard time): Copenhagen is UTC+1, New York UTC-5.
        (utc(2024, 1, 15, 7, 59), False),  # Monday 08:59 in Copenhagen
        (utc(2024, 1, 15, 8, 0), True),  # Monday 09:00 in Copenhagen: opens
        (utc(2024, 1, 15, 15, 59), True),
        (utc(2024, 1, 15, 16, 0), True),  # Copenhagen closed, New York 11:00
        (utc(2024, 1, 15, 21, 59), True),  # New York 16:59
        (utc(2024, 1, 15, 22, 0), False),  # New York 17:00: closes
        (utc(2024, 1, 19, 21, 30), True),  # Friday 16:30 in New York, 22:30 in Copenhagen
        (utc(2024, 1, 19, 22, 0), False),  # Friday 17:00 in New York
        (utc(2024, 1, 20, 0, 30), False),  # Saturday in UTC, Friday 19:30 in New York
        (utc(2024, 1, 20, 12, 0), False),  # Saturday noon
        (utc(2024, 1, 21, 15, 0), False),  # Sunday, 10:00 in New York
        (utc(2024, 1, 21, 23, 30), False),  # Monday 00:30 in Copenhagen
        (utc(2024, 1, 22, 3, 0), False),  # Monday 04:00 / Sunday 22:00
    ],
)
def test_is_open_in_winter(moment: datetime, expected: bool) -> None:
    assert HOURS.is_open(moment) is expected


def test_is_open_uses_new_york_hours_when_copenhagen_is_closed() -> None:
    copenhagen_only = OfficeHours(zones=(COPENHAGEN,))
    new_york_only = OfficeHours(zones=(NEW_YORK,))
    moment = utc(2024, 1, 17, 19, 0)  # Wednesday 20:00 Copenhagen, 14:00 New York
    assert not copenhagen_only.is_open(moment)
    assert new_york_only.is_open(moment)
    assert HOURS.is_open(moment)


def test_is_open_accepts_any_time_zone_for_now() -> None:
    from zoneinfo import ZoneInfo

    moment = datetime(2024, 1, 15, 9, 0, tzinfo=ZoneInfo(COPENHAGEN))
    assert HOURS.is_open(moment)
    assert HOURS.is_open(moment.astimezone(ZoneInfo("Asia/Tokyo")))
    assert not HOURS.is_open(moment - timedelta(minutes=1))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 2024: the US moved to summer time on 10 March, the EU on 31 March.
        (utc(2024, 3, 4, 21, 30), True),  # before both: 16:30 EST in New York
        (utc(2024, 3, 11, 21, 30), False),  # US on summer time: 17:30 EDT
        (utc(2024, 3, 11, 13, 0), True),  # 09:00 EDT opens early in UTC terms
        (utc(2024, 3, 4, 13, 30), True),  # 14:30 in Copenhagen
        (utc(2024, 3, 25, 7, 30), False),  # Copenhagen still on CET: 08:30
        (utc(2024, 4, 1, 7, 30), True),  # Copenhagen on CEST: 09:30
        (utc(2024, 4, 1, 15, 30), True),  # Copenhagen 17:30 closed, New York 11:30 open
        (utc(2024, 4, 1, 21, 0), False),  # New York 17:00 EDT
        # 2024: the EU returned to standard time on 27 October, the US on 3 November.
        (utc(2024, 10, 21, 7, 30), True),  # Copenhagen on CEST: 09:30
        (utc(2024, 10, 28, 7, 30), False),  # Copenhagen on CET: 08:30; New York night
        (utc(2024, 10, 28, 21, 30), False),  # New York still on EDT: 17:30
        (utc(2024, 11, 4, 21, 30), True),  # New York on EST: 16:30
        (utc(2024, 11, 4, 13, 30), True),  # Copenhagen 14:30
    ],
)
def test_is_open_across_daylight_saving_changes(moment: datetime, expected: bool) -> None:
    assert HOURS.is_open(moment) is expected


def test_custom_hours_are_applied_in_both_zones() -> None:
    hours = OfficeHours.parse("10:00-12:00")
    assert not hours.is_open(utc(2024, 1, 15, 8, 30))  # 09:30 Copenhagen
    assert hours.is_open(utc(2024, 1, 15, 9, 30))  # 10:30 Copenhagen
    assert not hours.is_open(utc(2024, 1, 15, 12, 0))  # 13:00 / 07:00
    assert hours.is_open(utc(2024, 1, 15, 16, 0))  # 11:00 New York
    assert not hours.is_open(utc(2024, 1, 15, 17, 0))  # 12:00 New York: closed


# -- next_opening ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2024, 1, 13, 12, 0), utc(2024, 1, 15, 8, 0)),  # Saturday -> Monday Copenhagen
        (utc(2024, 1, 15, 7, 0), utc(2024, 1, 15, 8, 0)),  # Monday early
        (utc(2024, 1, 15, 8, 0), utc(2024, 1, 15, 14, 0)),  # strictly after: New York next
        (utc(2024, 1, 15, 14, 0), utc(2024, 1, 16, 8, 0)),  # then Copenhagen on Tuesday
        (utc(2024, 1, 19, 22, 0), utc(2024, 1, 22, 8, 0)),  # Friday night -> Monday
        (utc(2024, 1, 21, 23, 30), utc(2024, 1, 22, 8, 0)),  # Monday 00:30 in Copenhagen
        (utc(2024, 3, 16, 12, 0), utc(2024, 3, 18, 8, 0)),  # US on EDT, EU on CET
        (utc(2024, 3, 18, 10, 0), utc(2024, 3, 18, 13, 0)),  # New York 09:00 EDT
        (utc(2024, 3, 30, 12, 0), utc(2024, 4, 1, 7, 0)),  # EU changes on the Sunday
        (utc(2024, 10, 26, 12, 0), utc(2024, 10, 28, 8, 0)),  # EU back on CET
        (utc(2024, 11, 2, 12, 0), utc(2024, 11, 4, 8, 0)),  # US back on EST the Sunday
        (utc(2024, 11, 4, 9, 0), utc(2024, 11, 4, 14, 0)),  # New York 09:00 EST
    ],
)
def test_next_opening(now: datetime, expected: datetime) -> None:
    opening = HOURS.next_opening(now)
    assert opening == expected
    assert opening.utcoffset() == timedelta(0)


def test_next_opening_is_strictly_later_and_nothing_opens_in_between() -> None:
    now = utc(2024, 1, 1, 0, 0)
    while now < utc(2025, 1, 1, 0):
        opening = HOURS.next_opening(now)
        assert opening > now
        assert opening - now <= timedelta(days=3, hours=1)
        assert HOURS.is_open(opening)
        local = {local_time(opening, zone)[-5:] for zone in HOURS.zones}
        assert "09:00" in local
        if not HOURS.is_open(now):
            # Closed now: it stays closed until the opening found.
            step = now + timedelta(minutes=30)
            while step < opening:
                assert not HOURS.is_open(step), (now, step, opening)
                step += timedelta(minutes=30)
        now += timedelta(hours=7, minutes=13)


def test_local_time_and_weekday_in_each_zone() -> None:
    moment = utc(2024, 1, 15, 8, 0)  # a Monday
    assert local_time(moment, COPENHAGEN) == "09:00"
    assert local_time(moment, NEW_YORK) == "03:00"
    assert weekday(moment, COPENHAGEN) == weekday(moment, NEW_YORK) == 0
    summer = utc(2024, 7, 1, 7, 0)
    assert local_time(summer, COPENHAGEN) == "09:00"
    assert local_time(summer, NEW_YORK) == "03:00"
    assert local_time(utc(2024, 3, 18, 8, 0), NEW_YORK) == "04:00"
    # Monday early in Copenhagen is still Sunday evening in New York.
    late = utc(2024, 1, 15, 2, 0)
    assert (weekday(late, COPENHAGEN), weekday(late, NEW_YORK)) == (0, 6)
