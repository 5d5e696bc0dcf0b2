"""Every published file once written: its path, size and SHA-256, for the catalogue and the check."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import RdfFormat, Triple, serialize


@dataclass(frozen=True)
class Written:
    relative: str
    """Path inside the published folder, with forward slashes."""
    size: int
    sha256: str


def write_bytes(root: Path, relative: str, data: bytes) -> Written:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return Written(relative, len(data), hashlib.sha256(data).hexdigest())


def write_stream(root: Path, relative: str, write: Callable[[BinaryIO], None]) -> Written:
    """A file too large to hold in memory, written by `write` into the open stream."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb", buffering=1 << 20) as stream:
        write(stream)
    return Written(relative, path.stat().st_size, sha256_file(path))


def write_text(root: Path, relative: str, text: str) -> Written:
    return write_bytes(root, relative, text.encode("utf-8"))


def rdf_bytes(triples: Iterable[Triple], rdf_format: RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    data = serialize(triples, format=rdf_format, prefixes=prefixes)
    assert data is not None  # no output stream given: pyoxigraph returns the bytes
    return data


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
