"""The shapes graph read into plain objects: targets, path, constraints, severity and messages of each shape.

Only what SHACL Core says a shape is; nothing about how it is checked. A component the fast engine does not
implement is refused here, by name, so that nobody gets a silently incomplete check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from sozialgraph.errors import SozialgraphError

SUPPORTED = {
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minInclusive", "maxInclusive", "minExclusive",
    "maxExclusive", "hasValue", "in", "node", "property", "or", "and", "xone", "not",
}  # fmt: skip
UNSUPPORTED = {
    "minLength", "maxLength", "pattern", "languageIn", "uniqueLang", "equals", "disjoint", "lessThan",
    "lessThanOrEquals", "closed", "qualifiedValueShape", "sparql",
}  # fmt: skip
LIST_PARAMETERS = {"in", "or", "and", "xone"}
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")


class UnsupportedShapes(SozialgraphError):
    """The shapes use a SHACL feature the fast engine does not implement (pySHACL still can)."""


@dataclass(eq=False)
class Constraint:
    component: str
    """Local name of the parameter, e.g. "minCount"; the result names sh:<Component>ConstraintComponent."""
    value: Node | list[Node]
    owner: Shape

    @property
    def component_iri(self) -> URIRef:
        name = self.component[0].upper() + self.component[1:]
        return URIRef(f"{SH}{name}ConstraintComponent")


@dataclass(eq=False)
class Shape:
    node: Node
    path: Node | None = None
    targets: list[tuple[str, Node]] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    severity: URIRef = SH.Violation
    messages: list[Literal] = field(default_factory=list)
    deactivated: bool = False

    @property
    def is_property_shape(self) -> bool:
        return self.path is not None


class ShapesModel:
    """Every shape of a shapes graph, found the way SHACL defines shapes (types, targets, references)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.shapes: dict[Node, Shape] = {}
        for node in sorted(self._shape_nodes(), key=str):
            self.shape(node)

    def targeted(self) -> list[Shape]:
        return [shape for shape in self.shapes.values() if shape.targets and not shape.deactivated]

    def shape(self, node: Node) -> Shape:
        known = self.shapes.get(node)
        if known is not None:
            return known
        graph = self.graph
        shape = Shape(node=node)
        self.shapes[node] = shape
        shape.path = graph.value(node, SH.path)
        shape.severity = graph.value(node, SH.severity) or SH.Violation  # type: ignore[assignment]
        shape.messages = [m for m in graph.objects(node, SH.message) if isinstance(m, Literal)]
        deactivated = graph.value(node, SH.deactivated)
        shape.deactivated = isinstance(deactivated, Literal) and deactivated.toPython() is True
        for name in TARGETS:
            shape.targets.extend((name, value) for value in graph.objects(node, SH[name]))
        if (node, RDF.type, RDFS.Class) in graph and (
            (node, RDF.type, SH.NodeShape) in graph or (node, RDF.type, SH.PropertyShape) in graph
        ):
            shape.targets.append(("targetClass", node))
        for name in sorted(UNSUPPORTED):
            if graph.value(node, SH[name]) is not None:
                raise UnsupportedShapes(
                    f"Die schnelle Prüfung kennt sh:{name} nicht (Form {node}). "
                    "Bitte mit --engine pyshacl prüfen."
                )
        for name in sorted(SUPPORTED):
            for value in graph.objects(node, SH[name]):
                if name in LIST_PARAMETERS:
                    members: list[Node] = list(Collection(graph, value))
                    shape.constraints.append(Constraint(name, members, shape))
                else:
                    shape.constraints.append(Constraint(name, value, shape))
        for constraint in shape.constraints:
            for nested in _referenced_shapes(constraint):
                self.shape(nested)
        return shape

    def _shape_nodes(self) -> set[Node]:
        graph = self.graph
        nodes: set[Node] = set(graph.subjects(RDF.type, SH.NodeShape))
        nodes |= set(graph.subjects(RDF.type, SH.PropertyShape))
        for name in TARGETS:
            nodes |= set(graph.subjects(SH[name], None))
        nodes |= set(graph.objects(None, SH.property)) | set(graph.objects(None, SH.node))
        nodes |= set(graph.objects(None, SH["not"]))
        return {node for node in nodes if isinstance(node, URIRef | BNode)}


def _referenced_shapes(constraint: Constraint) -> list[Node]:
    if constraint.component in ("node", "property", "not"):
        return [constraint.value]  # type: ignore[list-item]
    if constraint.component in ("or", "and", "xone"):
        return list(constraint.value)  # type: ignore[arg-type]
    return []


def describe_shape(shape: Shape) -> str:
    """A stable name for a shape, also for blank nodes (whose labels differ between parsers)."""
    if isinstance(shape.node, URIRef):
        return str(shape.node)
    parts = [f"path={shape.path}"] if shape.path is not None else []
    parts += sorted(f"{c.component}={c.value}" for c in shape.constraints if not isinstance(c.value, list))
    parts += sorted(str(m) for m in shape.messages)
    return "[" + "; ".join(parts) + "]"
