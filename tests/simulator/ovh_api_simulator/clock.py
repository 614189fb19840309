"""Simulator clock: real time plus an offset that the control API can advance (for cart expiry, stale timestamps)."""

import datetime
import time

try:
    import zoneinfo
    DISPLAY_TZ = zoneinfo.ZoneInfo("Europe/Paris")
except (ImportError, KeyError, OSError):  # no tz database: fixed CET offset
    DISPLAY_TZ = datetime.timezone(datetime.timedelta(hours=1))


class SimClock:
    """Wall clock shifted by ``offset`` seconds. Order progression uses real elapsed time (``real()``)."""

    def __init__(self):
        self.offset = 0.0

    @staticmethod
    def real():
        """Real (unshifted) epoch seconds; used for asynchronous delays."""
        return time.time()

    def now(self):
        """Simulator epoch seconds."""
        return time.time() + self.offset

    def now_dt(self):
        """Simulator time as an aware UTC datetime."""
        return self.to_dt(self.now())

    def sim_of_real(self, real_seconds):
        """Simulator datetime of a moment given in real epoch seconds."""
        return self.to_dt(real_seconds + self.offset)

    @staticmethod
    def to_dt(seconds):
        """Epoch seconds -> aware UTC datetime (whole seconds)."""
        return datetime.datetime.fromtimestamp(int(seconds), tz=datetime.timezone.utc)

    def advance(self, seconds):
        """Move the simulator clock forward (or back, if negative)."""
        self.offset += float(seconds)


def iso(value):
    """Render a datetime the way the EU API does: ISO-8601 in Paris local time with its offset
    (ovh/docs order examples show "2018-05-15T15:49:06+02:00"), so clients must honour the offset. None stays None."""
    if value is None:
        return None
    return value.astimezone(DISPLAY_TZ).isoformat()
