"""The public part of the store, with its IRIs moved to the published base.

Internal graphs are left out whole. An entity marked internal, or defined only in an internal source, is also
cut out of the public graphs: no triple about it and none pointing at it (a committee in a public table may name
an internal actor as a member; the membership goes, the committee stays).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    parse,
)

from sozialgraph.publish.layout import Layout
from sozialgraph.publish.queries import iri, query_text
from sozialgraph.space_closure import DERIVED_GRAPHS
from sozialgraph.sparql_values import bind
from sozialgraph.store import GraphStore
from sozialgraph.vocabulary import vocabulary_files

VOCABULARY = NamedNode("urn:sozialgraph:publish:vocabulary")
"""Where the working copy keeps the ontology and code lists, apart from the data (the default graph)."""


@dataclass
class PublicGraph:
    store: Store
    layout: Layout
    withheld_entities: int = 0
    withheld_triples: int = 0
    documents: list[str] = field(default_factory=list)
    """Every entity IRI under the published base (without #fragment), sorted."""

    def triples(self) -> Iterator[Triple]:
        for quad in self.store.quads_for_pattern(None, None, None, DefaultGraph()):
            yield quad.triple

    @property
    def size(self) -> int:
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, DefaultGraph()))


def internal_entities(store: GraphStore) -> set[str]:
    def entities(name: str, include_internal: bool) -> set[str]:
        rows = store.select(query_text(name), include_internal=include_internal).rows
        return {value for row in rows if (value := iri(row, "entity")) is not None}

    identified_in_public = entities("identified", include_internal=False)
    only_internal = entities("identified", include_internal=True) - identified_in_public
    return entities("internal-marked", include_internal=True) | only_internal


IN_MEMORY_BYTES = 256 << 20
"""Public data up to this much N-Triples text (1.7 million triples, 600 MB as Oxigraph's in-memory store) is
worked on in memory; more goes into an on-disk store, whose queries take 8-10 times the CPU (the tables of a
state: 70 s instead of 9 s) but whose memory does not grow with the data."""


def public_graph(store: GraphStore, layout: Layout, scratch: Path | None = None,
                 in_memory_bytes: int = IN_MEMORY_BYTES) -> PublicGraph:
    """Everything runs in Oxigraph but the reading: the public graphs go through N-Triples text (where the base
    moves) into the working store, and the withheld entities are found by their IRIs there. Per-triple Python
    objects made this the slowest step of a publication (30 s of CPU for the million triples of a state).

    With a `scratch` folder the text goes through a file there, and above `in_memory_bytes` of it the working
    store lives on disk there too; without, everything stays in memory."""
    withheld = {_moved(entity, store.base_uri, layout.base) for entity in internal_entities(store)}
    if scratch is None:
        buffer = io.BytesIO()
        _dump_public(store, buffer)
        working = Store()
        working.bulk_load(input=move_base(buffer.getvalue(), store.base_uri, layout.base),
                          format=RdfFormat.N_TRIPLES, to_graph=DefaultGraph())
        del buffer
    else:
        raw = scratch / "public.nt"
        with raw.open("wb", buffering=1 << 20) as output:
            _dump_public(store, output)
        on_disk = raw.stat().st_size > in_memory_bytes
        working = Store(str(scratch / "working")) if on_disk else Store()
        # Block by block: Oxigraph's bulk loader buffers what it is given (1 GB for the whole data of a state).
        with raw.open("rb") as source:
            for block in _line_blocks(source):
                working.bulk_load(input=move_base(block, store.base_uri, layout.base), format=RdfFormat.N_TRIPLES,
                                  to_graph=DefaultGraph())
        raw.unlink()
        if on_disk:
            working.optimize()  # one sorted run per index instead of one per block, for the queries that follow
    documents: set[str] = set()
    dropped = 0
    solutions = working.query(bind(query_text("base-iris"), [{"base": Literal(layout.base)}]))
    assert isinstance(solutions, QuerySolutions)
    for solution in solutions:
        term = solution["iri"]
        assert isinstance(term, NamedNode)
        document = layout.document(term.value)
        if term.value in withheld or document in withheld:
            dropped += _remove(working, term)
        elif document is not None:
            documents.add(document)
    for entity in withheld:
        if layout.document(entity) is None:
            dropped += _remove(working, NamedNode(entity))
    working.bulk_extend(_vocabulary_quads())
    return PublicGraph(working, layout, len(withheld), dropped, sorted(documents))


def _dump_public(store: GraphStore, output: BinaryIO) -> None:
    # The derived graphs (the space closure) are left out: whoever loads the data recomputes them.
    store.dump_ntriples(output, include_internal=False, include_vocabulary=False, leave_out=DERIVED_GRAPHS)


def _line_blocks(source: BinaryIO, size: int = 16 << 20) -> Iterator[bytes]:
    """The stream in blocks of whole lines."""
    rest = b""
    for block in iter(lambda: source.read(size), b""):
        block = rest + block
        end = block.rfind(b"\n") + 1
        rest = block[end:]
        if end:
            yield block[:end]
    if rest:
        yield rest


def move_base(data: bytes, source: str, target: str) -> bytes:
    """N-Triples with every IRI under `source` that is a whole subject or object moved under `target`.

    An N-Triples line is `subject predicate object .`, the subject and the predicate without spaces, so the
    patterns anchor at the line start and never reach into a literal that happens to hold an IRI."""
    if source == target:
        return data
    old = re.escape(b"<" + source.encode("utf-8"))
    new = (b"<" + target.encode("utf-8")).replace(b"\\", b"\\\\")
    data = re.sub(rb"(?m)^" + old, new, data)
    return re.sub(rb"(?m)^(\S+ <[^>]*> )" + old, rb"\g<1>" + new, data)


def _moved(iri: str, source: str, target: str) -> str:
    return target + iri[len(source):] if iri.startswith(source) else iri


def _remove(working: Store, term: NamedNode) -> int:
    quads = {*working.quads_for_pattern(term, None, None, DefaultGraph()),
             *working.quads_for_pattern(None, None, term, DefaultGraph())}
    for quad in quads:
        working.remove(quad)
    return len(quads)


REUSED_LABELS = Path(__file__).parent / "vocab" / "reused-labels.ttl"


def _vocabulary_quads() -> Iterator[Quad]:
    for path in [*vocabulary_files(), REUSED_LABELS]:
        with path.open("rb") as stream:
            for triple in parse(stream, format=RdfFormat.TURTLE):
                yield Quad(triple.subject, triple.predicate, triple.object, VOCABULARY)
