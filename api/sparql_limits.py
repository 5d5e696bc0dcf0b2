"""How much the public SPARQL endpoint gives one query: a deadline, a row cap, and a few at a time.

Each query runs in a worker of a pool with one thread per slot. A slot is taken before the query starts and
given back only when the evaluation really ends, so at most `concurrency` evaluations ever run; one more request
is answered 503 with Retry-After instead of queueing. At the deadline the request is answered 503 at once.
A streaming evaluation notices the deadline at its next result row and stops (sozialgraph/store/limits.py);
one inside an operator that must read everything first (ORDER BY, GROUP BY, COUNT over a cross product) runs
on until Oxigraph finishes it (pyoxigraph cannot cancel), holding its slot, its answer thrown away. That
bounds the damage to `concurrency` busy threads; the worker is never killed half-way through a store read.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from api.errors import Problem
from sozialgraph.store.limits import QueryTimeout, TooManyRows, query_limits

T = TypeVar("T")
RETRY_AFTER = "5"


def _detached(error: Exception) -> Exception:
    """The same error without traceback or chained cause."""
    if isinstance(error, Problem):
        return Problem(error.status, error.message, error.headers)
    if isinstance(error, QueryTimeout | TooManyRows):
        return type(error)(error.message)
    return error


class QueryLimiter:
    def __init__(self, timeout: float, max_rows: int, concurrency: int) -> None:
        self.timeout = timeout
        self.max_rows = max_rows
        self._slots = threading.BoundedSemaphore(concurrency)
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="sparql")

    def _timeout_problem(self) -> Problem:
        return Problem(503, f"Die Abfrage hat länger als {self.timeout:g} Sekunden gedauert und wurde "
                            "abgebrochen. Schränken Sie sie ein (weniger Muster, LIMIT, gezieltere Filter).",
                       headers={"Retry-After": RETRY_AFTER})

    async def run(self, work: Callable[[], T]) -> T:
        if not self._slots.acquire(blocking=False):
            raise Problem(503, "Gerade laufen zu viele SPARQL-Abfragen gleichzeitig. Bitte in einigen Sekunden "
                               "erneut versuchen.", headers={"Retry-After": RETRY_AFTER})

        def limited() -> T:
            failure: Exception | None = None
            try:
                with query_limits(self.timeout, self.max_rows):
                    return work()
            except (Problem, QueryTimeout, TooManyRows) as error:
                failure = _detached(error)
            finally:
                self._slots.release()
            # Raised here, after the except block let go of the original traceback: its frames hold pyoxigraph
            # result iterators, which must be dropped in this thread (pyoxigraph objects are not sendable).
            assert failure is not None
            raise failure

        try:
            future = self._pool.submit(limited)
        except BaseException:
            self._slots.release()
            raise
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except (TimeoutError, QueryTimeout) as error:
            raise self._timeout_problem() from error
        except TooManyRows as error:
            raise Problem(400, f"Das Ergebnis hat mehr als {self.max_rows} Zeilen; dieser Endpunkt liefert "
                               "höchstens so viele. Schränken Sie die Abfrage ein (LIMIT/OFFSET für Seiten) "
                               "oder nutzen Sie den vollständigen Datenabzug.") from error
