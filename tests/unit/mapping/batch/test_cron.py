"""Kubernetes schedules to EventBridge Scheduler expressions, each expected value checked by hand.

Kubernetes: robfig/cron ParseStandard, days of the week 0-6 from Sunday, the two day fields ORed
when both are restricted. EventBridge: six fields, one of the day fields `?`, no step in day-of-week.
"""

from __future__ import annotations

import re

import pytest

from translator.mapping.batch.cron import to_eventbridge

CASES = [
    ("0 * * * *", ("cron(0 * * * ? *)",)),
    ("*/15 * * * *", ("cron(0/15 * * * ? *)",)),
    ("*/1 * * * *", ("cron(* * * * ? *)",)),
    ("5/20 * * * *", ("cron(5/20 * * * ? *)",)),
    ("10-40/10 * * * *", ("cron(10,20,30,40 * * * ? *)",)),
    ("0 */2 * * *", ("cron(0 0/2 * * ? *)",)),
    ("0 8,9 * * *", ("cron(0 8,9 * * ? *)",)),
    ("30 2 1 * *", ("cron(30 2 1 * ? *)",)),
    ("0 0 1,15 * ?", ("cron(0 0 1,15 * ? *)",)),
    ("0 0 */2 * *", ("cron(0 0 1/2 * ? *)",)),
    ("0 0 1 */3 *", ("cron(0 0 1 1/3 ? *)",)),
    ("0 0 * JAN,jul *", ("cron(0 0 * 1,7 ? *)",)),
    ("0 9 * * 1-5", ("cron(0 9 ? * MON-FRI *)",)),
    ("0 8-18 * * MON-FRI", ("cron(0 8-18 ? * MON-FRI *)",)),
    ("0 0 * * 0", ("cron(0 0 ? * SUN *)",)),
    ("0 0 * * 7", ("cron(0 0 ? * SUN *)",)),
    ("5 4 * * sun", ("cron(5 4 ? * SUN *)",)),
    ("0 12 * * SAT,SUN", ("cron(0 12 ? * SUN,SAT *)",)),
    ("0 0 * * 5-7", ("cron(0 0 ? * SUN,FRI,SAT *)",)),
    ("0 0 * * */2", ("cron(0 0 ? * SUN,TUE,THU,SAT *)",)),
    ("0 0 * * 1-5/2", ("cron(0 0 ? * MON,WED,FRI *)",)),
    ("0 0 ? * MON", ("cron(0 0 ? * MON *)",)),
    ("0 0 * * 0-6", ("cron(0 0 * * ? *)",)),
    ("0 0 1-31 * MON", ("cron(0 0 * * ? *)",)),
    ("0 0 13 * 5", ("cron(0 0 13 * ? *)", "cron(0 0 ? * FRI *)")),
    ("0 0 1 * 1", ("cron(0 0 1 * ? *)", "cron(0 0 ? * MON *)")),
    ("0 0 */2 * 1", ("cron(0 0 1/2 * ? *)", "cron(0 0 ? * MON *)")),
    ("@hourly", ("cron(0 * * * ? *)",)),
    ("@daily", ("cron(0 0 * * ? *)",)),
    ("@midnight", ("cron(0 0 * * ? *)",)),
    ("@weekly", ("cron(0 0 ? * SUN *)",)),
    ("@monthly", ("cron(0 0 1 * ? *)",)),
    ("@yearly", ("cron(0 0 1 1 ? *)",)),
    ("@annually", ("cron(0 0 1 1 ? *)",)),
    ("@every 1h30m", ("rate(90 minutes)",)),
    ("@every 2h", ("rate(2 hours)",)),
    ("@every 24h", ("rate(1 day)",)),
    ("@every 1m", ("rate(1 minute)",)),
]

ERRORS = ["@reboot", "@every 30s", "@every 90s", "@every soon", "0 0 * *", "0 0 * * * *", "60 * * * *",
          "0 24 * * *", "0 0 0 * *", "0 0 L * *", "0 0 * 13 *", "0 0 * * 6-1", "0 0 * * MON/0", "0 0 1-2-3 * *"]

_FIELD = {0: r"[0-9,\-*/]+", 1: r"[0-9,\-*/]+", 2: r"\?|[0-9,\-*/]+", 3: r"[0-9,\-*/]+",
          4: r"\?|\*|(?:SUN|MON|TUE|WED|THU|FRI|SAT)(?:[-,](?:SUN|MON|TUE|WED|THU|FRI|SAT))*", 5: r"\*"}


def _valid_eventbridge(expression: str) -> bool:
    """The EventBridge cron grammar we emit: exactly one `?` day field, no step in day-of-week."""
    if expression.startswith("rate("):
        return re.fullmatch(r"rate\((1 (minute|hour|day)|[2-9]\d* (minutes|hours|days)|1\d+ (minutes|hours|days))\)",
                            expression) is not None
    fields = expression.removeprefix("cron(").removesuffix(")").split(" ")
    return (len(fields) == 6 and all(re.fullmatch(_FIELD[i], f) for i, f in enumerate(fields))
            and (fields[2] == "?") != (fields[4] == "?"))


@pytest.mark.parametrize(("schedule", "expected"), CASES)
def test_schedule_converts(schedule: str, expected: tuple[str, ...]) -> None:
    result = to_eventbridge(schedule)
    assert result.error == ""
    assert result.expressions == expected
    assert result.either_day == (len(expected) == 2)
    assert result.interval == schedule.startswith("@every")
    assert all(_valid_eventbridge(e) for e in expected)


@pytest.mark.parametrize("schedule", ERRORS)
def test_schedule_that_cannot_convert(schedule: str) -> None:
    result = to_eventbridge(schedule)
    assert result.expressions == ()
    assert result.error


def test_time_zone_prefix_is_taken_out() -> None:
    result = to_eventbridge("CRON_TZ=Europe/Berlin 0 6 * * *")
    assert (result.expressions, result.timezone) == (("cron(0 6 * * ? *)",), "Europe/Berlin")


def test_enough_hand_checked_strings() -> None:
    assert len(CASES) >= 20
