"""Which day's gold must be in by now: day D is due at the deadline (UTC) on day D+1."""

from datetime import UTC, date, datetime, time, timedelta


def due_day(now: datetime, deadline: time) -> date:
    """The newest day whose deadline has passed at `now` (any time zone; compared in UTC)."""
    moment = now.astimezone(UTC)
    passed_today = moment.time() >= deadline
    return moment.date() - timedelta(days=1 if passed_today else 2)
