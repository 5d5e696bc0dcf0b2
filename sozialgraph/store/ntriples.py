"""A graph's triples kept as N-Triples text: what the loaders build for big tables.

Creating a pyoxigraph term and triple object per cell, then serialising them again for Oxigraph's bulk loader,
costs several times more than writing the statement text once; the embedded backend hands the text straight to
`bulk_load`. Code that wants `Triple` objects still gets them: iterating parses the text (in Rust).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, MutableSequence
from typing import TYPE_CHECKING, BinaryIO, overload

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, parse, serialize

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

BLOCK = 100_000
"""Statements per encoded block: bounds the Python strings alive at once."""


class NTriples(MutableSequence[Triple]):
    """Statements as text while every one is plain (IRIs and literals); a list of `Triple`s once one is not.

    Blank nodes switch to objects because a parser gives them new labels, and positional access does because it
    is rare and simple that way.
    """

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._blocks: list[bytes] = []
        self._open: list[str] = []
        self._sealed = 0
        self._triples: list[Triple] | None = None
        self.extend(triples)

    # --- the fast path -------------------------------------------------------------------------------------
    def add_statements(self, statements: list[str]) -> None:
        """Append complete N-Triples statements (`<s> <p> o .` plus newline), each already escaped and valid."""
        if self._triples is not None:
            self._triples.extend(quad.triple for quad in parse("".join(statements), format=RdfFormat.N_TRIPLES))
            return
        self._open.extend(statements)
        if len(self._open) >= BLOCK:
            self._seal()

    def blocks(self) -> list[bytes] | None:
        """The statements as N-Triples blocks, or None when they are held as objects."""
        if self._triples is not None:
            return None
        self._seal()
        return self._blocks

    @staticmethod
    def stream(blocks: list[bytes]) -> BinaryIO:
        """The blocks as one binary stream, without joining them in memory."""
        return io.BufferedReader(_Blocks(blocks), buffer_size=1 << 20)

    def _seal(self) -> None:
        if self._open:
            self._blocks.append("".join(self._open).encode("utf-8"))
            self._sealed += len(self._open)
            self._open = []

    def _objects(self) -> list[Triple]:
        if self._triples is None:
            self._triples = list(self._parsed())
            self._blocks, self._open, self._sealed = [], [], 0
        return self._triples

    def _parsed(self) -> Iterator[Triple]:
        texts: list[bytes | str] = [*self._blocks, "".join(self._open)]
        for block in texts:
            for quad in parse(block, format=RdfFormat.N_TRIPLES):
                yield quad.triple

    # --- MutableSequence -----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._triples) if self._triples is not None else self._sealed + len(self._open)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples) if self._triples is not None else self._parsed()

    def append(self, value: Triple) -> None:
        if self._triples is None and _plain(value):
            statement = serialize([value], format=RdfFormat.N_TRIPLES)
            assert statement is not None
            self._open.append(statement.decode("utf-8"))
            if len(self._open) >= BLOCK:
                self._seal()
        else:
            self._objects().append(value)

    def extend(self, values: Iterable[Triple]) -> None:
        for value in values:
            self.append(value)

    @overload
    def __getitem__(self, index: int) -> Triple: ...

    @overload
    def __getitem__(self, index: slice) -> MutableSequence[Triple]: ...

    def __getitem__(self, index: int | slice) -> Triple | MutableSequence[Triple]:
        return self._objects()[index]

    @overload
    def __setitem__(self, index: int, value: Triple) -> None: ...

    @overload
    def __setitem__(self, index: slice, value: Iterable[Triple]) -> None: ...

    def __setitem__(self, index: int | slice, value: Triple | Iterable[Triple]) -> None:
        objects = self._objects()
        if isinstance(index, slice):
            assert not isinstance(value, Triple)
            objects[index] = value
        else:
            assert isinstance(value, Triple)
            objects[index] = value

    def __delitem__(self, index: int | slice) -> None:
        del self._objects()[index]

    def insert(self, index: int, value: Triple) -> None:
        self._objects().insert(index, value)

    def __repr__(self) -> str:
        return f"NTriples({len(self)} triples)"


def _plain(triple: Triple) -> bool:
    return isinstance(triple.subject, NamedNode) and not isinstance(triple.object, BlankNode | Triple)


class _Blocks(io.RawIOBase):
    """The blocks as one binary stream, without joining them in memory."""

    def __init__(self, blocks: list[bytes]) -> None:
        self._blocks = iter(blocks)
        self._block = memoryview(b"")
        self._offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while self._offset >= len(self._block):
            block = next(self._blocks, None)
            if block is None:
                return 0
            self._block, self._offset = memoryview(block), 0
        target = memoryview(buffer).cast("B")
        size = min(len(target), len(self._block) - self._offset)
        target[:size] = self._block[self._offset : self._offset + size]
        self._offset += size
        return size
