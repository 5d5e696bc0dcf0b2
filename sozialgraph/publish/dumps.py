"""The whole public graph as files: Turtle, gzipped N-Triples, and JSON-LD with a published @context.

The data goes through files, never whole into memory: Oxigraph dumps it as N-Triples, the lines are sorted
externally (a stable order, so that publishing unchanged data gives byte-identical files and checksums), and
each format is written from the sorted file as a stream."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import DefaultGraph, Literal, RdfFormat, parse, serialize

from sozialgraph.namespaces import CODE_BASE
from sozialgraph.publish.files import Written, rdf_bytes, write_stream, write_text
from sozialgraph.publish.jsonld import Compactor
from sozialgraph.publish.pages import PageRecords
from sozialgraph.publish.prefixes import prefixes_for
from sozialgraph.publish.queries import iri, query_text, select_text
from sozialgraph.publish.sorting import ExternalSort
from sozialgraph.publish.subset import PublicGraph
from sozialgraph.sparql_values import bind

TURTLE = "dumps/sozialgraph.ttl"
NTRIPLES_GZ = "dumps/sozialgraph.nt.gz"
JSONLD = "dumps/sozialgraph.jsonld"
CONTEXT = "context.jsonld"
JSONLD_CHUNK = 20_000
"""Triples per call of Oxigraph's JSON-LD writer (cut between subjects, whose nodes it writes whole)."""


@dataclass
class Dumps:
    turtle: Written
    ntriples: Written
    jsonld: Written
    context: Written
    triples: int
    prefixes: dict[str, str]


@dataclass
class SortedData:
    ntriples: Path
    """The data as N-Triples, lines in byte order."""
    triples: int
    pages: ExternalSort
    """Per entity page: its triples and the links pointing at it (see `PageRecords`)."""


def sort_data(graph: PublicGraph, scratch: Path) -> SortedData:
    """One pass over Oxigraph's dump: the lines for the dumps, and the records for the pages, both sorted
    externally."""
    raw = scratch / "data.nt"
    graph.store.dump(output=raw, format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
    lines = ExternalSort(scratch, "lines")
    records = PageRecords(graph.layout, ExternalSort(scratch, "pages"))
    with raw.open("rb", buffering=1 << 20) as stream:
        for line in stream:
            line = line[:-1]
            lines.add(line)
            records.add(line)
    raw.unlink()
    ordered = scratch / "sorted.nt"
    with ordered.open("wb", buffering=1 << 20) as stream:
        stream.writelines(line + b"\n" for line in lines.sorted())
    return SortedData(ordered, lines.count, records.sort)


def write_dumps(root: Path, graph: PublicGraph, data: SortedData) -> Dumps:
    layout = graph.layout
    prefixes = prefixes_for(layout.base, [*graph.documents, *_iris_under(graph, CODE_BASE)])
    context = write_text(root, CONTEXT, json.dumps({"@context": prefixes}, ensure_ascii=False, indent=2) + "\n")

    def turtle(stream: BinaryIO) -> None:
        serialize(parse(path=data.ntriples, format=RdfFormat.N_TRIPLES), stream, format=RdfFormat.TURTLE,
                  prefixes=prefixes)

    def jsonld(stream: BinaryIO) -> None:
        write_jsonld(stream, data.ntriples, prefixes, layout.url(CONTEXT))

    return Dumps(
        turtle=write_stream(root, TURTLE, turtle),
        ntriples=write_stream(root, NTRIPLES_GZ, lambda stream: _gzip(data.ntriples, stream)),
        jsonld=write_stream(root, JSONLD, jsonld),
        context=context,
        triples=data.triples,
        prefixes=prefixes,
    )


def _gzip(source: Path, stream: BinaryIO) -> None:
    # What gzip.compress(data, compresslevel=6, mtime=0) writes (Python 3.11 hands that to zlib whole), in
    # pieces: zlib's output does not depend on how its input is cut.
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    with source.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            stream.write(compressor.compress(block))
    stream.write(compressor.flush())


def write_jsonld(stream: BinaryIO, ntriples: Path, prefixes: dict[str, str], context: object) -> None:
    """What `compact_jsonld(triples, prefixes, context, indent=False)` gives for the sorted triples, written a
    few thousand triples at a time: the sorted lines hold each subject's triples together, and Oxigraph writes
    one node per run of a subject."""
    compactor = Compactor(prefixes)
    stream.write(('{"@context": ' + json.dumps(context, ensure_ascii=False) + ', "@graph": [\n').encode("utf-8"))
    separator = b""
    for chunk in _subject_chunks(ntriples):
        for node in json.loads(rdf_bytes(parse(chunk, format=RdfFormat.N_TRIPLES), RdfFormat.JSON_LD)):
            stream.write(separator + json.dumps(compactor.node(node), ensure_ascii=False).encode("utf-8"))
            separator = b",\n"
    stream.write(b"\n]}\n")


def _subject_chunks(ntriples: Path) -> Iterator[bytes]:
    chunk: list[bytes] = []
    with ntriples.open("rb", buffering=1 << 20) as stream:
        for line in stream:
            # A subject ends at its line's first space (no IRI or blank node label holds one).
            if len(chunk) >= JSONLD_CHUNK and not line.startswith(chunk[-1][:chunk[-1].index(b" ") + 1]):
                yield b"".join(chunk)
                chunk = []
            chunk.append(line)
    if chunk:
        yield b"".join(chunk)


def _iris_under(graph: PublicGraph, namespace: str) -> list[str]:
    query = bind(query_text("base-iris"), [{"base": Literal(namespace)}])
    return sorted(text for row in select_text(graph.store, query, with_vocabulary=False)
                  if (text := iri(row, "iri")) is not None)
