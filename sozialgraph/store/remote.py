"""Remote backend: any SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB) behind the Backend protocol.

Queries name their dataset explicitly (`default-graph-uri` and `named-graph-uri`: the current version of every
graph), because servers disagree on what the default graph is when none is named (Virtuoso: all graphs; Oxigraph:
the unnamed graph). Writes go into a fresh graph nobody reads, then `commit` makes them visible in one update.
"""

from __future__ import annotations

import io
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from string import Template
from typing import IO

import httpx
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from sozialgraph.config import Settings
from sozialgraph.errors import SozialgraphError
from sozialgraph.sparql_values import bind
from sozialgraph.store.backend import SelectResult
from sozialgraph.store.ntriples import NTriples
from sozialgraph.store.protocol import N_TRIPLES, RESULTS_JSON, Credentials, ServerError, SparqlClient
from sozialgraph.store.server_terms import (
    for_virtuoso,
    from_server,
    triple_from_server,
    virtuoso_json,
    virtuoso_query,
)

_QUERIES = Path(__file__).parent / "queries"


def _read(name: str) -> str:
    return (_QUERIES / name).read_text(encoding="utf-8")


_GRAPH_NAMES = _read("graph-names.rq")
_GRAPH_NAMES_VIRTUOSO = _read("graph-names-virtuoso.rq")
_GRAPH_COUNT = _read("graph-count.rq")
_GRAPH_TRIPLES = _read("graph-triples.rq")
_INSERT_DATA = Template(_read("insert-data.ru"))
_INSERT_TEMPLATE = Template(_read("insert-template.ru"))
_DELETE_DATA = Template(_read("delete-data.ru"))
_DROP_GRAPH = Template(_read("drop-graph.ru"))
_CONSTRUCT_ACCEPT = f"{N_TRIPLES}, text/turtle;q=0.9"
# Naming no graph at all would give the server's own default graph (on Virtuoso: every graph), so an empty
# dataset is spelt as one graph that never exists.
_NO_GRAPH = "urn:x-sozialgraph:no-graph"
# Measured with bench/remote.py: larger chunks gain little and make a refused request costlier to repeat.
CHUNK_TRIPLES = 20_000
# Uploads in flight at once where the server takes them (Oxigraph); measured with bench/remote.py.
PARALLEL_UPLOADS = 2
# For SPARQL Update requests that carry data (insert and delete data), which Virtuoso cannot compile
# much beyond a thousand triples.
UPDATE_CHUNK = 500
_INT32 = 2**31 - 1
_INT64 = 2**63 - 1
_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


class RemoteBackend:
    union_is_data_only = False  # a server's default graph is its own business: always name the graphs

    def __init__(self, client: SparqlClient, chunk_size: int = CHUNK_TRIPLES, write_method: str | None = None) -> None:
        self.client = client
        self.chunk_size = chunk_size
        self.write_method = write_method or ("gsp" if client.store_url else "update")

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteBackend:
        if not settings.endpoint:
            raise SozialgraphError("Für den SPARQL-Server ist keine Abfrage-Adresse (SOZIALGRAPH_ENDPOINT) gesetzt.")
        credentials = Credentials(settings.user, settings.password, settings.token)
        client = SparqlClient(settings.endpoint, settings.update_endpoint, settings.store_endpoint, credentials)
        return cls(client)

    # --- reading -------------------------------------------------------------------------------------------
    def _dataset(self, default_graphs: Sequence[NamedNode] | None) -> list[str]:
        graphs = self.graph_names() if default_graphs is None else default_graphs
        return [graph.value for graph in graphs] or [_NO_GRAPH]

    def _query_text(self, query: str) -> str:
        return virtuoso_query(query) if self._virtuoso else query

    def _solutions(self, query: str, dataset: list[str] | None) -> QuerySolutions | QueryBoolean:
        response = self.client.query(self._query_text(query), RESULTS_JSON, dataset or (), dataset or ())
        media = response.headers.get("content-type", RESULTS_JSON).split(";")[0].strip()
        results_format = QueryResultsFormat.from_media_type(media) or QueryResultsFormat.JSON
        content = response.content
        if _from_virtuoso(response):
            content = virtuoso_json(content)
        try:
            return parse_query_results(content, format=results_format)
        except (SyntaxError, ValueError) as error:
            raise ServerError(f"Der SPARQL-Server {self.client.query_url} gab eine unlesbare Antwort ({error}).") \
                from None

    def _select(self, query: str, dataset: list[str] | None) -> SelectResult:
        solutions = self._solutions(query, dataset)
        if not isinstance(solutions, QuerySolutions):
            raise SozialgraphError("Die Abfrage ist keine SELECT-Abfrage.")
        columns = [variable.value for variable in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in columns:
                value = solution[name]
                if value is not None:
                    row[name] = from_server(value)
            rows.append(row)
        return SelectResult(columns, rows)

    def select(self, query: str, default_graphs: Sequence[NamedNode] | None) -> SelectResult:
        return self._select(query, self._dataset(default_graphs))

    def ask(self, query: str, default_graphs: Sequence[NamedNode] | None) -> bool:
        result = self._solutions(query, self._dataset(default_graphs))
        if not isinstance(result, QueryBoolean):
            raise SozialgraphError("Die Abfrage ist keine ASK-Abfrage.")
        return bool(result)

    def construct(self, query: str, default_graphs: Sequence[NamedNode] | None) -> list[Triple]:
        """Note: Virtuoso cuts CONSTRUCT answers at ResultSetMaxRows without saying so (the README asks to raise
        it); whole graphs are therefore read by `graph_triples`, a SELECT, whose cut Virtuoso does announce."""
        dataset = self._dataset(default_graphs)
        response = self.client.query(self._query_text(query), _CONSTRUCT_ACCEPT, dataset, dataset)
        return list(self._parse_triples(io.BytesIO(response.content), response.headers.get("content-type")))

    def graph_names(self) -> list[NamedNode]:
        rows = self._select(_GRAPH_NAMES_VIRTUOSO if self._virtuoso else _GRAPH_NAMES, None).rows
        return [row["graph"] for row in rows if isinstance(row.get("graph"), NamedNode)]  # type: ignore[misc]

    def graph_triples(self, graph: NamedNode) -> Iterator[Triple]:
        query = bind(_GRAPH_TRIPLES, [{"graph": graph}])
        with self.client.stream_query(query, RESULTS_JSON) as response:
            chunks: Iterator[bytes] = response.iter_bytes()
            if _from_virtuoso(response):
                chunks = (virtuoso_json(line.encode("utf-8")) + b"\n" for line in response.iter_lines())
            try:
                stream = io.BufferedReader(_ChunkReader(chunks))
                solutions = parse_query_results(stream, format=QueryResultsFormat.JSON)
                for solution in solutions:  # type: ignore[union-attr]
                    subject, predicate, obj = solution["s"], solution["p"], solution["o"]
                    yield Triple(subject, predicate, from_server(obj))
            except (SyntaxError, ValueError) as error:
                raise ServerError(f"Der SPARQL-Server {self.client.query_url} gab eine unlesbare Antwort ({error}).") \
                    from None

    def dump_graph(self, graph: NamedNode, output: IO[bytes]) -> None:
        serialize(self.graph_triples(graph), output, format=RdfFormat.N_TRIPLES)

    def count(self, graph: NamedNode) -> int:
        rows = self._select(bind(_GRAPH_COUNT, [{"graph": graph}]), None).rows
        value = rows[0].get("count") if rows else None
        return int(value.value) if isinstance(value, Literal) else 0

    def _parse_triples(self, stream: IO[bytes], content_type: str | None) -> Iterator[Triple]:
        media = (content_type or N_TRIPLES).split(";")[0].strip()
        rdf_format = RdfFormat.from_media_type(media) or RdfFormat.N_TRIPLES
        try:
            for quad in parse(stream, format=rdf_format):
                yield triple_from_server(quad.triple)
        except (SyntaxError, ValueError) as error:
            raise ServerError(f"Der SPARQL-Server {self.client.query_url} gab unlesbare Tripel zurück ({error}).") \
                from None

    # --- writing -------------------------------------------------------------------------------------------
    def write_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        """Stream the triples in chunks. Each request is its own blank-node scope, so every triple with a blank
        node travels in the last request together: `_:b` means the same node in all of them."""
        text = triples if isinstance(triples, NTriples) else None
        blocks = text.blocks() if text is not None else None
        if text is not None and blocks is not None and self.write_method == "gsp" and not self._virtuoso:
            # The loaders' text is N-Triples already, with no blank node: it goes to the server as it is.
            with _Pipeline(self._parallel()) as pipeline:
                for block in blocks:
                    pipeline.submit(self.client.post_graph, graph.value, block, True)
            return len(text)
        count = 0
        chunk: list[Triple] = []
        with_blank: list[Triple] = []
        exact: list[Triple] = []
        virtuoso = self._virtuoso
        with _Pipeline(self._parallel()) as pipeline:
            for triple in triples:
                count += 1
                if virtuoso:
                    triple = for_virtuoso(triple)
                if _has_blank(triple):
                    with_blank.append(triple)
                elif virtuoso and _beyond_int32(triple.object):
                    exact.append(triple)
                else:
                    chunk.append(triple)
                    if len(chunk) >= self._chunk():
                        pipeline.submit(self._write_chunk, graph, chunk)
                        chunk = []
            chunk.extend(with_blank)
            if chunk:
                pipeline.submit(self._write_chunk, graph, chunk)
        # Virtuoso's N-Triples reader makes every xsd:integer beyond 32 bits an xsd:decimal; its SPARQL parser
        # keeps them as integers (up to 64 bits), so those few go as an insert-data update.
        for start in range(0, len(exact), UPDATE_CHUNK):
            self._insert(graph, exact[start : start + UPDATE_CHUNK])
        return count

    def _parallel(self) -> int:
        # Oxigraph's bulk loader takes several uploads into one graph at once (its own `load` does the same), so
        # the next chunk is parsed while the last is stored. Others get one request at a time.
        return PARALLEL_UPLOADS if self.write_method == "gsp" and self.client.server.startswith("Oxigraph") else 1

    @property
    def needs_local_validation(self) -> bool:
        """Virtuoso 7 evaluates the filters the fast completeness check generates wrongly (a sameTerm with a typed
        date inside COALESCE is never true there), so the check reads the data and runs pySHACL instead."""
        return self._virtuoso

    @property
    def _virtuoso(self) -> bool:
        return self.client.server.startswith("Virtuoso")

    def _chunk(self) -> int:
        # Virtuoso's SPARQL compiler gives up on an insert-data update of a few thousand triples.
        return self.chunk_size if self.write_method == "gsp" or not self._virtuoso else UPDATE_CHUNK

    def _write_chunk(self, graph: NamedNode, triples: list[Triple]) -> None:
        if self.write_method == "gsp":
            self.client.post_graph(graph.value, _n_triples(triples), fresh=True)
        else:
            self._insert(graph, triples)

    def _insert(self, graph: NamedNode, triples: list[Triple]) -> None:
        body = _n_triples(triples).decode("utf-8")
        template = _INSERT_TEMPLATE if any(_has_blank(triple) for triple in triples) else _INSERT_DATA
        self.client.update(template.substitute(graph=str(graph), triples=body))

    def commit(self, quads: Sequence[Quad]) -> None:
        """All quads in one update request, which the server applies as one transaction."""
        if quads:
            self.client.update(_data_update(_INSERT_DATA, self._for_server(quads)))

    def remove_quads(self, quads: Sequence[Quad]) -> None:
        if any(isinstance(term, BlankNode) for quad in quads for term in (quad.subject, quad.object)):
            raise ValueError("a delete-data update cannot name blank nodes")
        quads = self._for_server(quads)
        for start in range(0, len(quads), UPDATE_CHUNK):
            self.client.update(_data_update(_DELETE_DATA, quads[start : start + UPDATE_CHUNK]))

    def _for_server(self, quads: Sequence[Quad]) -> Sequence[Quad]:
        if not self._virtuoso:
            return quads
        mapped = []
        for quad in quads:
            triple = for_virtuoso(quad.triple)
            mapped.append(Quad(triple.subject, triple.predicate, triple.object, quad.graph_name))
        return mapped

    def drop_graph(self, graph: NamedNode) -> None:
        self.client.update(_DROP_GRAPH.substitute(graph=str(graph)))

    def compact(self) -> None:
        """A server organises its own storage."""

    def close(self) -> None:
        self.client.close()


def _from_virtuoso(response: httpx.Response) -> bool:
    return response.headers.get("server", "").startswith("Virtuoso")


def _has_blank(triple: Triple) -> bool:
    return isinstance(triple.subject, BlankNode) or isinstance(triple.object, BlankNode)


def _n_triples(triples: Sequence[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.N_TRIPLES) or b""


def _beyond_int32(term: object) -> bool:
    """An xsd:integer Virtuoso keeps exactly through SPARQL Update only (beyond 64 bits neither way does: its
    N-Triples reader at least keeps the value, as an xsd:decimal, where an insert-data update overflows)."""
    if not isinstance(term, Literal) or term.datatype.value != _INTEGER:
        return False
    try:
        return _INT32 < abs(int(term.value)) <= _INT64
    except ValueError:
        return False


def _data_update(template: Template, quads: Sequence[Quad]) -> str:
    by_graph: dict[str, list[Triple]] = defaultdict(list)
    for quad in quads:
        if not isinstance(quad.graph_name, NamedNode):
            raise ValueError("only quads in named graphs can be written to a server")
        by_graph[str(quad.graph_name)].append(quad.triple)
    operations = [
        template.substitute(graph=graph, triples=_n_triples(triples).decode("utf-8"))
        for graph, triples in by_graph.items()
    ]
    # One request: SPARQL 1.1 Update asks servers to apply a request's operations as one unit.
    return " ;\n".join(operations)


class _Pipeline:
    """Up to `width` requests in flight; the first error is raised (after the others have finished)."""

    def __init__(self, width: int) -> None:
        self._width = width
        self._pool = ThreadPoolExecutor(max_workers=width, thread_name_prefix="upload") if width > 1 else None
        self._pending: deque[Future[None]] = deque()

    def submit(self, function: Callable[..., None], *args: object) -> None:
        if self._pool is None:
            function(*args)
            return
        while len(self._pending) >= self._width:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(function, *args))

    def __enter__(self) -> _Pipeline:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        if self._pool is None:
            return
        try:
            while self._pending:
                future = self._pending.popleft()
                if error_type is None:
                    future.result()
                else:
                    future.exception()  # wait, but let the error already on its way be the one reported
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


class _ChunkReader(io.RawIOBase):
    """A readable stream over an HTTP response's byte chunks, so pyoxigraph parses while the graph arrives."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
