"""Sorting more lines than memory should hold: sorted runs spilled to files in a scratch folder, then merged.

Hand-written (heapq.merge over the run files) because no maintained Python package does an external sort of
byte lines; SQLite's ORDER BY would, at about twice the CPU for a million lines. Lines are bytes without a
newline (N-Triples lines and the records built from them never hold a raw one), compared as bytes.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from pathlib import Path

RUN_BYTES = 64 << 20
"""Memory one run may take before it is spilled (line bytes plus Python's per-object overhead)."""
_OVERHEAD = 41  # a bytes object's header plus its slot in the list


class ExternalSort:
    def __init__(self, scratch: Path, name: str, run_bytes: int = RUN_BYTES) -> None:
        self._scratch = scratch
        self._name = name
        self._run_bytes = run_bytes
        self._lines: list[bytes] = []
        self._size = 0
        self._runs: list[Path] = []
        self.count = 0

    def add(self, line: bytes) -> None:
        self._lines.append(line)
        self._size += len(line) + _OVERHEAD
        self.count += 1
        if self._size >= self._run_bytes:
            self._spill()

    def extend(self, lines: Iterable[bytes]) -> None:
        for line in lines:
            self.add(line)

    def _spill(self) -> None:
        self._lines.sort()
        path = self._scratch / f"{self._name}-{len(self._runs)}.run"
        with path.open("wb") as stream:
            stream.writelines(line + b"\n" for line in self._lines)
        self._runs.append(path)
        self._lines = []
        self._size = 0

    def sorted(self) -> Iterator[bytes]:
        """Every line added, in byte order; once (run files are removed as they are read to the end)."""
        self._lines.sort()
        if not self._runs:
            lines, self._lines = self._lines, []
            yield from lines
            return
        if self._lines:
            self._spill()
        yield from heapq.merge(*(_read_run(path) for path in self._runs))
        self._runs = []


def _read_run(path: Path) -> Iterator[bytes]:
    with path.open("rb", buffering=1 << 20) as stream:
        for line in stream:
            yield line[:-1]
    path.unlink()


def unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Sorted lines without repeats."""
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def record(*values: str) -> bytes:
    """Fields joined by NUL, sorting as bytes like the tuple of fields: NUL and \\x01 inside a field are escaped
    to two bytes that start with \\x01, which sort above the NUL between fields and keep their own order."""
    return b"\0".join(field.encode("utf-8").replace(b"\x01", b"\x01\x02").replace(b"\0", b"\x01\x01")
                      for field in values)


def fields(joined: bytes) -> list[str]:
    return [field.replace(b"\x01\x01", b"\0").replace(b"\x01\x02", b"\x01").decode("utf-8")
            for field in joined.split(b"\0")]
