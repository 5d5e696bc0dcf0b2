"""The completeness check through the fast engine, reported exactly like the pySHACL one.

The report keeps the raw results and writes the SHACL report graph (for `--format turtle`) only when asked:
at state scale it has tens of thousands of results, and planners mostly want the text or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib.namespace import RDF as RDFLIB_RDF
from rdflib.namespace import SH

from sozialgraph.shacl import Check, Compiler, RawResult, compile_shapes, run_checks
from sozialgraph.shacl.literals import to_rdflib
from sozialgraph.store import GraphStore
from sozialgraph.store.backend import Term
from sozialgraph.validation import (
    SEVERITY_NAMES,
    ValidationReport,
    ValidationResult,
    _describe,
    shapes_graph,
)


@cache
def _compiled() -> tuple[rdflib.Graph, Compiler, list[Check]]:
    # Shapes ship with the code, so one compilation per process is enough.
    graph = shapes_graph()
    compiler, checks = compile_shapes(graph)
    return graph, compiler, checks


@dataclass
class FastValidationReport(ValidationReport):
    raw: list[RawResult] = field(default_factory=list)
    shapes: rdflib.Graph | None = None

    def as_turtle(self) -> str:
        if self.report_graph is None:
            self.report_graph = report_graph(self.conforms, self.raw, self.shapes or rdflib.Graph())
        return super().as_turtle()


def validate_store_fast(store: GraphStore) -> ValidationReport:
    shapes, compiler, checks = _compiled()
    store.default_graphs()  # read the current versions once, before the checks run on several threads
    raw = run_checks(compiler, checks, lambda query: store.select(query).rows)
    return build_report(store, raw, shapes)


def build_report(store: GraphStore, raw: list[RawResult], shapes: rdflib.Graph) -> FastValidationReport:
    described = _describe(store, [r.focus.value for r in raw if isinstance(r.focus, NamedNode)])
    results = []
    for item in raw:
        shape = item.check.shape
        identifier, classes = described.get(item.focus.value, (None, [])) if isinstance(
            item.focus, NamedNode) else (None, [])
        results.append(
            ValidationResult(
                focus=_text(item.focus),
                identifier=identifier,
                classes=sorted(classes),
                path=str(shape.path) if isinstance(shape.path, rdflib.URIRef) else None,
                severity=SEVERITY_NAMES.get(str(shape.severity), str(shape.severity)),
                message=message(item.check),
                value=_text(item.value) if item.value is not None else None,
                shape=str(shape.node) if isinstance(shape.node, rdflib.URIRef) else None,
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results.sort(key=lambda r: (order.get(r.severity, 3), r.identifier or r.focus, r.path or "", r.message))
    conforms = not any(item.check.shape.severity == SH.Violation for item in raw)
    return FastValidationReport(conforms=conforms, results=results, raw=raw, shapes=shapes)


def message(check: Check) -> str:
    messages = check.shape.messages
    german = [m for m in messages if m.language == "de"]
    if german:
        return str(german[0])
    if messages:
        return str(messages[0])
    return f"{check.constraint.component_iri.rsplit('#', 1)[-1]} nicht erfüllt"


def _text(term: Term) -> str:
    if isinstance(term, Literal):
        return _literal_text(term)
    return term.value if isinstance(term, NamedNode | BlankNode) else str(term)


@cache
def _literal_text(term: Literal) -> str:
    # rdflib normalises some lexical forms on parsing ("NaN"^^xsd:double becomes "nan"); say what pySHACL says.
    return str(to_rdflib(term))


def report_graph(conforms: bool, raw: list[RawResult], shapes: rdflib.Graph) -> rdflib.Graph:
    """The SHACL validation report graph (sh:ValidationReport), as pySHACL would write it."""
    graph = rdflib.Graph()
    graph.bind("sh", SH)
    report = rdflib.BNode()
    graph.add((report, RDFLIB_RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, rdflib.Literal(conforms)))
    for item in raw:
        shape = item.check.shape
        node = rdflib.BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDFLIB_RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, _rdflib(item.focus)))
        graph.add((node, SH.resultSeverity, shape.severity))
        graph.add((node, SH.sourceConstraintComponent, item.check.constraint.component_iri))
        graph.add((node, SH.sourceShape, shape.node))
        if shape.path is not None:
            graph.add((node, SH.resultPath, shape.path))
            _copy_closure(shapes, shape.path, graph)
        if not isinstance(shape.node, rdflib.URIRef):
            _copy_closure(shapes, shape.node, graph)
        if item.value is not None:
            graph.add((node, SH.value, _rdflib(item.value)))
        for text in shape.messages:
            graph.add((node, SH.resultMessage, text))
    return graph


def _rdflib(term: Term) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        return to_rdflib(term)
    return rdflib.Literal(str(term))


def _copy_closure(source: rdflib.Graph, node: rdflib.term.Node, target: rdflib.Graph) -> None:
    """A blank node's description (a complex path, an anonymous shape), so the report stays self-contained."""
    todo = [node]
    seen: set[rdflib.term.Node] = set()
    while todo:
        current = todo.pop()
        if current in seen or not isinstance(current, rdflib.BNode):
            continue
        seen.add(current)
        for predicate, obj in source.predicate_objects(current):
            target.add((current, predicate, obj))
            todo.append(obj)
