"""Kubernetes CronJob schedules to EventBridge Scheduler expressions (mapping-reference 2.8, W4).

A pure function, so every rule below is unit-tested against hand-checked strings.

Kubernetes parses `spec.schedule` with robfig/cron v3 `ParseStandard`: five fields
`minute hour day-of-month month day-of-week`, `*` or `?` for any, lists, ranges, steps (`a/n` runs
from a to the field's maximum), month names JAN-DEC, day names SUN-SAT, days of the week 0-6 with
Sunday 0, and the descriptors @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and
@every <duration>. EventBridge wants six fields `cron(min hour day-of-month month day-of-week year)`
in which exactly one of the two day fields is `?`, numbers the days of the week 1-7 from Sunday
(we emit the names SUN-SAT, which both sides read the same) and accepts no step in day-of-week.

Each field is parsed to the set of values it matches and written back in a compact form
EventBridge accepts, so steps over ranges (`10-40/10`) or in day-of-week become lists.
When both day fields are restricted, Kubernetes runs on days matching EITHER of them (robfig clears
a field's "star" bit only when it is not `*`/`?`, or is a step over `*` greater than 1); one
EventBridge expression cannot say that, so two are returned.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from translator.model.record import record

_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MACROS = {
    "@yearly": "0 0 1 1 ? *", "@annually": "0 0 1 1 ? *", "@monthly": "0 0 1 * ? *",
    "@weekly": "0 0 ? * SUN *", "@daily": "0 0 * * ? *", "@midnight": "0 0 * * ? *", "@hourly": "0 * * * ? *",
}
_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": Decimal("1e-9"), "us": Decimal("1e-6"), "µs": Decimal("1e-6"), "ms": Decimal("0.001"),
                 "s": Decimal(1), "m": Decimal(60), "h": Decimal(3600)}


@record
class Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # names[i] stands for low + i


MINUTE = Field("minute", 0, 59)
HOUR = Field("hour", 0, 23)
DAY_OF_MONTH = Field("day-of-month", 1, 31)
MONTH = Field("month", 1, 12, _MONTHS)
DAY_OF_WEEK = Field("day-of-week", 0, 6, _DAYS)


@record
class Conversion:
    """The EventBridge form of one Kubernetes schedule.

    expressions: `cron(...)` or `rate(...)`; two when Kubernetes ORs the day fields; none on error.
    either_day:  both day fields were restricted, so one expression each was made.
    interval:    an `@every` schedule; EventBridge counts the interval from the schedule's creation.
    timezone:    from a `CRON_TZ=` / `TZ=` prefix, which robfig accepts and Kubernetes discourages.
    error:       why the schedule cannot be converted (Kubernetes itself would reject most of these).
    """

    expressions: tuple[str, ...] = ()
    either_day: bool = False
    interval: bool = False
    timezone: str = ""
    error: str = ""


class CronError(ValueError):
    pass


def to_eventbridge(schedule: str) -> Conversion:
    text = " ".join(schedule.split())
    timezone = ""
    match = re.match(r"^(?:CRON_TZ|TZ)=(\S+) (.*)$", text)
    if match:
        timezone, text = match.group(1), match.group(2)
    try:
        if text.startswith("@"):
            return _descriptor(text, timezone)
        return _five_fields(text, timezone)
    except CronError as err:
        return Conversion(timezone=timezone, error=str(err))


def _descriptor(text: str, timezone: str) -> Conversion:
    macro = _MACROS.get(text.lower())
    if macro:
        return Conversion((f"cron({macro})",), timezone=timezone)
    if text.lower().startswith("@every "):
        return Conversion((_rate(text[7:].strip()),), interval=True, timezone=timezone)
    raise CronError(f"unknown descriptor {text.split()[0]!r}")


def _rate(duration: str) -> str:
    """`@every 90m` -> `rate(90 minutes)`; EventBridge rates are whole minutes, hours or days."""
    pos, seconds = 0, Decimal(0)
    for m in _DURATION.finditer(duration):
        if m.start() != pos:
            break
        seconds += Decimal(m.group(1)) * _UNIT_SECONDS[m.group(2)]
        pos = m.end()
    if not duration or pos != len(duration):
        raise CronError(f"@every needs a duration such as 5m or 1h30m, got {duration!r}")
    if seconds < 60 or seconds % 60:
        raise CronError(f"@every {duration} is not a whole number of minutes, the smallest EventBridge rate unit")
    minutes = int(seconds // 60)
    size, unit = next((s, u) for s, u in ((1440, "day"), (60, "hour"), (1, "minute")) if minutes % s == 0)
    count = minutes // size
    return f"rate({count} {unit}{'' if count == 1 else 's'})"


def _five_fields(text: str, timezone: str) -> Conversion:
    parts = text.split(" ")
    if len(parts) != 5:
        raise CronError(f"expected 5 fields (minute hour day-of-month month day-of-week), got {len(parts)}")
    minutes, _ = parse_field(parts[0], MINUTE)
    hours, _ = parse_field(parts[1], HOUR)
    days, days_star = parse_field(parts[2], DAY_OF_MONTH)
    months, _ = parse_field(parts[3], MONTH)
    weekdays, weekdays_star = parse_field(parts[4], DAY_OF_WEEK)
    head = f"{compact(minutes, MINUTE)} {compact(hours, HOUR)}"
    month = compact(months, MONTH)
    dom, dow = compact(days, DAY_OF_MONTH), weekday_list(weekdays)
    if days_star and not weekdays_star and dow != "*":
        return Conversion((f"cron({head} ? {month} {dow} *)",), timezone=timezone)
    if weekdays_star:
        return Conversion((f"cron({head} {dom} {month} ? *)",), timezone=timezone)
    if days_star or dom == "*" or dow == "*":  # ORed with a field that matches every day
        return Conversion((f"cron({head} * {month} ? *)",), timezone=timezone)
    return Conversion((f"cron({head} {dom} {month} ? *)", f"cron({head} ? {month} {dow} *)"),
                      either_day=True, timezone=timezone)


def parse_field(text: str, field: Field) -> tuple[frozenset[int], bool]:
    """The values a robfig field matches, and its star bit (`*` or `?`, with no step above 1)."""
    values: set[int] = set()
    star = False
    for part in text.split(","):
        part_values, part_star = _part(part, field)
        values |= part_values
        star = star or part_star
    return frozenset(values), star


def _part(part: str, field: Field) -> tuple[set[int], bool]:
    range_text, slash, step_text = part.partition("/")
    if "/" in step_text:
        raise CronError(f"too many slashes in {field.name} {part!r}")
    star = range_text in ("*", "?")
    bounds = range_text.split("-")
    if star:
        start, end = field.low, field.high
    elif len(bounds) > 2:
        raise CronError(f"too many hyphens in {field.name} {part!r}")
    else:
        start = _value(bounds[0], field)
        end = _value(bounds[1], field) if len(bounds) == 2 else start
    step = 1
    if slash:
        step = _number(step_text, field)
        if len(bounds) == 1 and not star:
            end = field.high  # robfig: "N/step" means N to the maximum
        star = star and step <= 1
    # Sunday may be written 7: Kubernetes rejects it, most crons accept it, so do we.
    high = 7 if field is DAY_OF_WEEK else field.high
    if start < field.low or end > high or start > end or step < 1:
        raise CronError(f"{field.name} {part!r} is outside {field.low}-{field.high} or not increasing")
    values = set(range(start, end + 1, step))
    return ({v % 7 for v in values} if field is DAY_OF_WEEK else values), star


def _value(text: str, field: Field) -> int:
    upper = text.upper()
    if upper in field.names:
        return field.low + field.names.index(upper)
    return _number(text, field)


def _number(text: str, field: Field) -> int:
    if not text.isdigit():
        raise CronError(f"{field.name} value {text!r} is not a number{' or a name' if field.names else ''}")
    return int(text)


def compact(values: frozenset[int], field: Field) -> str:
    """Shortest EventBridge form: `*`, `a/n` for a step running to the maximum, else runs and values."""
    ordered = sorted(values)
    if ordered == list(range(field.low, field.high + 1)):
        return "*"
    if len(ordered) >= 3:
        step = ordered[1] - ordered[0]
        if step > 1 and ordered == list(range(ordered[0], field.high + 1, step)):
            return f"{ordered[0]}/{step}"
    return ",".join(_runs(ordered, str))


def weekday_list(values: frozenset[int]) -> str:
    """Day names (EventBridge has no step in day-of-week); `*` when every day matches."""
    ordered = sorted(values)
    if ordered == list(range(7)):
        return "*"
    return ",".join(_runs(ordered, lambda v: _DAYS[v]))


def _runs(ordered: list[int], show: Callable[[int], str]) -> list[str]:
    """Three or more consecutive values as `a-b`, the rest one by one."""
    out: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{show(ordered[i])}-{show(ordered[j])}")
        else:
            j = i
            out.append(show(ordered[i]))
        i = j + 1
    return out
