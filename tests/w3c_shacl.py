"""The W3C SHACL core test suite (shared/peers/shacl-tests/core) read from its manifests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store
from rdflib import RDF, BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.namespace import SH, Namespace
from rdflib.term import Node

from sozialgraph.shacl import Compiler, RawResult, ShapesModel, run_checks
from sozialgraph.shacl.compiler import sparql_path
from sozialgraph.shacl.literals import to_rdflib
from sozialgraph.store.backend import Term

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


@dataclass
class W3CTest:
    name: str
    file: Path
    data: Path
    shapes: Path
    graph: Graph
    """The manifest file's graph, holding the expected report."""
    result: Node

    @property
    def expects_failure(self) -> bool:
        return self.result == SHT.Failure


def core_tests(root: Path) -> list[W3CTest]:
    tests: list[W3CTest] = []
    for manifest in sorted((root / "core").glob("*/manifest.ttl")):
        listing = Graph().parse(manifest, format="turtle")
        for include in sorted(listing.objects(None, MF.include), key=str):
            path = Path(str(include).removeprefix("file://"))
            graph = Graph().parse(path, format="turtle")
            for entries in graph.objects(None, MF.entries):
                for entry in Collection(graph, entries):  # type: ignore[arg-type]
                    action = graph.value(entry, MF.action)
                    data = Path(str(graph.value(action, SHT.dataGraph)).removeprefix("file://"))
                    shapes = Path(str(graph.value(action, SHT.shapesGraph)).removeprefix("file://"))
                    result = graph.value(entry, MF.result)
                    name = f"{path.parent.name}/{str(entry).rsplit('/', 1)[-1]}"
                    tests.append(W3CTest(name, path, data, shapes, graph, result))  # type: ignore[arg-type]
    return tests


def parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


Key = tuple[object, ...]
SIMPLE_VALUES = (int, float, Decimal, str, bool, date, time, datetime)


def path_key(graph: Graph, node: Node | None) -> str | None:
    return sparql_path(graph, node) if node is not None else None


def term_key(term: Node | None) -> object:
    if term is None:
        return None
    if isinstance(term, BNode):
        return ("BNode",)
    if isinstance(term, RdfLiteral):
        value = term.value if isinstance(term.value, SIMPLE_VALUES) and not term.ill_typed else str(term)
        return ("literal", str(term.datatype), term.language, value)
    return (type(term).__name__, str(term))


def expected_results(test: W3CTest, shapes: Graph) -> list[Key]:
    graph = test.graph
    keys: list[Key] = []
    for result in graph.objects(test.result, SH.result):
        keys.append((
            term_key(graph.value(result, SH.focusNode)),
            path_key(graph, graph.value(result, SH.resultPath)),
            term_key(graph.value(result, SH.value)),
            str(graph.value(result, SH.resultSeverity)),
            str(graph.value(result, SH.sourceConstraintComponent)),
            _shape_key(graph.value(result, SH.sourceShape), graph, shapes),
        ))  # fmt: skip
    return sorted(keys, key=repr)


def _shape_key(node: Node | None, graph: Graph, shapes: Graph) -> object:
    # A blank source shape is the same node when shapes and report share one file; otherwise by its path.
    if isinstance(node, BNode) and graph is not shapes:
        return ("blank shape", path_key(graph, graph.value(node, SH.path)))
    return term_key(node)


def run_fast(test: W3CTest) -> tuple[list[Key], bool]:
    shapes = test.graph if test.shapes == test.file else parse(test.shapes)
    # The data goes into Oxigraph straight from the file: an rdflib round trip would rewrite ill-typed literals
    # ("none"^^xsd:boolean becomes "false"). Blank nodes then get new labels, so results compare them by kind.
    store = Store()
    store.load(path=str(test.data), format=RdfFormat.TURTLE, base_iri=test.data.as_uri())
    compiler = Compiler(ShapesModel(shapes))
    checks = compiler.compile()

    def select(query: str) -> list[dict[str, Term]]:
        solutions = store.query(query)
        names = [variable.value for variable in solutions.variables]  # type: ignore[union-attr]
        return [{name: row[name] for name in names if row[name] is not None} for row in solutions]  # type: ignore[union-attr]

    raw = run_checks(compiler, checks, select)
    keys = [_raw_key(item, shapes, test) for item in raw]
    # The standard's sh:conforms: no result of any severity (the app allows warnings, the suite does not).
    return sorted(keys, key=repr), not raw


def _raw_key(item: RawResult, shapes: Graph, test: W3CTest) -> Key:
    shape = item.check.shape
    return (
        term_key(_rdflib(item.focus)),
        path_key(shapes, shape.path),
        term_key(_rdflib(item.value)) if item.value is not None else None,
        str(shape.severity),
        str(item.check.constraint.component_iri),
        _shape_key(shape.node, shapes, shapes) if test.shapes == test.file else (
            ("blank shape", path_key(shapes, shape.path)) if isinstance(shape.node, BNode) else term_key(shape.node)),
    )


def _rdflib(term: Term | None) -> Node | None:
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if isinstance(term, Literal):
        return to_rdflib(term)
    return None


def expected_conforms(test: W3CTest) -> bool:
    value = test.graph.value(test.result, SH.conforms)
    return bool(value.toPython()) if value is not None else True  # type: ignore[union-attr]


def components_of(shapes: Graph) -> set[URIRef]:
    """The constraint components a shapes graph uses (by their parameters)."""
    model = ShapesModel(shapes)
    return {c.component_iri for shape in model.shapes.values() for c in shape.constraints
            if c.component != "property"} | ({SH.PropertyConstraintComponent} if any(
                c.component == "property" for s in model.shapes.values() for c in s.constraints) else set())


__all__ = ["RDF", "W3CTest", "components_of", "core_tests", "expected_conforms", "expected_results", "run_fast"]
