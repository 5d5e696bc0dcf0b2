"""Limits for one query evaluation (deadline, result rows), set by the caller for the current thread.

pyoxigraph cannot cancel a running query. It evaluates lazily, though, and releases the GIL while it does:
a backend that checks these limits between result rows stops a streaming query (a cross product, say) at the
deadline or the row cap. Operators that must see all input before the first row (ORDER BY, GROUP BY, COUNT)
cannot be stopped that way; the caller stops waiting for them at the deadline (see api/sparql_limits.py).
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sozialgraph.errors import SozialgraphError


class QueryTimeout(SozialgraphError):
    pass


class TooManyRows(SozialgraphError):
    pass


@dataclass(frozen=True)
class QueryLimits:
    deadline: float
    """time.monotonic() after which the evaluation stops."""
    max_rows: int


_LIMITS: contextvars.ContextVar[QueryLimits | None] = contextvars.ContextVar("query_limits", default=None)


@contextmanager
def query_limits(seconds: float, max_rows: int) -> Iterator[QueryLimits]:
    limits = QueryLimits(time.monotonic() + seconds, max_rows)
    token = _LIMITS.set(limits)
    try:
        yield limits
    finally:
        _LIMITS.reset(token)


def check(rows: int) -> None:
    """Raise if the current evaluation, now at `rows` results, is over its limits (no limits: no-op)."""
    limits = _LIMITS.get()
    if limits is None:
        return
    if rows > limits.max_rows:
        raise TooManyRows(f"Das Ergebnis hat mehr als {limits.max_rows} Zeilen.")
    if time.monotonic() > limits.deadline:
        raise QueryTimeout("Die Abfrage hat die Zeitgrenze überschritten.")
