"""The completeness check: the SHACL shapes in shapes/ over the whole current graph, in German.

pySHACL is the reference validator. Results carry the planner's id of the focus node, so a planner can find
the row to fix.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import rdflib
from pyoxigraph import Literal, NamedNode, RdfFormat, serialize
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import SH

from sozialgraph.namespaces import SG_BASE
from sozialgraph.paths import shapes_dir
from sozialgraph.sparql_values import bind
from sozialgraph.store import GraphStore

_DESCRIBE = (Path(__file__).parent / "rq" / "describe-focus.rq").read_text(encoding="utf-8")
SEVERITY_NAMES = {str(SH.Violation): "Violation", str(SH.Warning): "Warning", str(SH.Info): "Info"}
SEVERITY_GERMAN = {"Violation": "Fehler", "Warning": "Hinweis", "Info": "Info"}


@dataclass
class ValidationResult:
    focus: str
    identifier: str | None
    classes: list[str]
    path: str | None
    severity: str
    message: str
    value: str | None = None
    shape: str | None = None


@dataclass
class ValidationReport:
    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    report_graph: rdflib.Graph | None = None

    @property
    def violations(self) -> list[ValidationResult]:
        return [result for result in self.results if result.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [result for result in self.results if result.severity == "Warning"]

    def as_json(self) -> str:
        payload = {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "results": [asdict(result) for result in self.results],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2)

    def as_text(self) -> str:
        lines = []
        for result in self.results:
            who = result.identifier or result.focus
            kind = ", ".join(short_name(c) for c in result.classes) or "?"
            lines.append(f"{SEVERITY_GERMAN.get(result.severity, result.severity)}: {kind} '{who}': "
                         f"{result.message}")
        summary = (
            f"{len(self.violations)} Fehler, {len(self.warnings)} Hinweise. "
            + ("Der Bestand ist vollständig (Hinweise erlaubt)." if self.conforms
               else "Der Bestand ist unvollständig.")
        )
        return "\n".join([*lines, summary])

    def as_turtle(self) -> str:
        graph = self.report_graph if self.report_graph is not None else rdflib.Graph()
        return graph.serialize(format="turtle")


def short_name(iri: str) -> str:
    return iri.removeprefix(SG_BASE).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(shapes_dir().glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def data_graph(store: GraphStore) -> rdflib.Graph:
    """The union of all current graphs, as rdflib wants it."""
    triples = (quad.triple for quad in store.quads())
    text = serialize(triples, format=RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    if text:
        graph.parse(data=text, format="nt")
    return graph


ENGINES = ("fast", "pyshacl")


def validate_store(store: GraphStore, engine: str = "fast") -> ValidationReport:
    """The completeness check. `fast` compiles the shapes to SPARQL (sozialgraph.shacl); `pyshacl` is the
    reference it must agree with, and runs instead where the store says its server would get `fast` wrong."""
    if engine == "fast" and getattr(store.backend, "needs_local_validation", False):
        engine = "pyshacl"
    if engine == "fast":
        from sozialgraph.validation_fast import validate_store_fast

        return validate_store_fast(store)
    if engine != "pyshacl":
        raise ValueError(f"unknown validation engine {engine!r}")
    conforms, report_graph, _ = pyshacl_validate(
        data_graph(store), shacl_graph=shapes_graph(), inference="none", advanced=False, allow_warnings=True
    )
    return _report(store, bool(conforms), report_graph)


def _report(store: GraphStore, conforms: bool, report_graph: rdflib.Graph) -> ValidationReport:
    results: list[ValidationResult] = []
    raw = []
    # Only the report's own results: pySHACL also types the nested sh:detail results (why a value failed
    # sh:node or sh:or) as sh:ValidationResult; they carry no message of ours and are not results (SHACL 3.6).
    for node in report_graph.objects(None, SH.result):
        focus = report_graph.value(node, SH.focusNode)
        path = report_graph.value(node, SH.resultPath)
        severity = report_graph.value(node, SH.resultSeverity)
        messages = [str(m) for m in report_graph.objects(node, SH.resultMessage)]
        german = [m for m in report_graph.objects(node, SH.resultMessage)
                  if getattr(m, "language", None) == "de"]
        value = report_graph.value(node, SH.value)
        shape = report_graph.value(node, SH.sourceShape)
        raw.append((focus, path, severity, str(german[0]) if german else (messages[0] if messages else ""),
                    value, shape))
    described = _describe(store, [str(focus) for focus, *_ in raw if isinstance(focus, rdflib.URIRef)])
    for focus, path, severity, message, value, shape in raw:
        identifier, classes = described.get(str(focus), (None, []))
        results.append(
            ValidationResult(
                focus=str(focus),
                identifier=identifier,
                classes=sorted(classes),
                path=str(path) if isinstance(path, rdflib.URIRef) else None,
                severity=SEVERITY_NAMES.get(str(severity), str(severity)),
                message=message,
                value=str(value) if value is not None else None,
                shape=str(shape) if isinstance(shape, rdflib.URIRef) else None,
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results.sort(key=lambda r: (order.get(r.severity, 3), r.identifier or r.focus, r.path or "", r.message))
    return ValidationReport(conforms=conforms, results=results, report_graph=report_graph)


def _describe(store: GraphStore, nodes: list[str]) -> dict[str, tuple[str | None, list[str]]]:
    """Id and classes of each node. Large batches: the query scans ids and types once per batch (and hashes
    them), which beats one probe per node. Of several ids the smallest is shown, the same on every run."""
    described: dict[str, tuple[str | None, list[str]]] = {}
    unique = sorted(set(nodes))
    for start in range(0, len(unique), 50_000):
        rows = [{"node": NamedNode(iri)} for iri in unique[start : start + 50_000]]
        for row in store.select(bind(_DESCRIBE, rows)).rows:
            node, found, klass = row["node"], row.get("identifier"), row.get("type")
            if not isinstance(node, NamedNode):
                continue
            identifier, classes = described.get(node.value, (None, []))
            if isinstance(found, Literal) and (identifier is None or found.value < identifier):
                identifier = found.value
            if isinstance(klass, NamedNode) and klass.value not in classes:
                classes.append(klass.value)
            described[node.value] = (identifier, classes)
    return described
