"""SHACL Core shapes compiled to SPARQL: one SELECT per constraint of every targeted shape.

Each query returns the focus nodes (and value nodes) that violate one constraint, so the engine can write the
same validation result pySHACL writes: focus node, result path, value, source shape, severity, message.
Nested shapes (sh:node, sh:or, sh:and, sh:xone, sh:not, sh:property) become boolean SPARQL expressions that say
whether one node conforms; they never report results of their own, as in SHACL.

All SPARQL text comes from the blocks in rq/fragments.rq; this module only fills them in from the shapes graph.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from sozialgraph.shacl.literals import (
    ALWAYS_VALID,
    FAST_PATTERNS,
    NUMERIC_FAST,
    RANGE_OPERATORS,
    datatype_rule,
    fast_numeric_bound,
    range_rule,
    rdflib_knows,
)
from sozialgraph.shacl.shapes import Constraint, Shape, ShapesModel, UnsupportedShapes


def _load_fragments() -> dict[str, str]:
    text = (Path(__file__).parent / "rq" / "fragments.rq").read_text(encoding="utf-8")
    fragments: dict[str, str] = {}
    for block in re.split(r"^#@ ", text, flags=re.MULTILINE)[1:]:
        name, _, body = block.partition("\n")
        lines = [line for line in body.splitlines() if not line.startswith("#")]
        fragments[name.strip()] = "\n".join(lines).strip()
    return fragments


FRAGMENTS = _load_fragments()


def fill(name: str, **values: str) -> str:
    text = FRAGMENTS[name]
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


@dataclass
class Oracle:
    """Literals the query cannot judge on its own: fetched by `candidates`, judged by `rule` in Python."""

    marker: str
    variable: str
    candidates: str
    rule: Callable[[Literal], bool]
    rule_key: str
    scan_all: bool = False
    """The candidates are every literal of the data (plus literal sh:targetNodes), not one path's values."""


@dataclass
class Check:
    """One compiled constraint: its query and what a result of it reports."""

    query: str
    constraint: Constraint
    shape: Shape
    reports_value: bool
    value_is_focus: bool = False
    oracles: list[Oracle] = field(default_factory=list)


class Compiler:
    def __init__(self, model: ShapesModel) -> None:
        self.model = model
        self.graph: Graph = model.graph
        self._counter = itertools.count()
        self._oracles: list[Oracle] = []
        self.target_literals = [
            value for shape in model.shapes.values() for name, value in shape.targets
            if name == "targetNode" and isinstance(value, Literal)
        ]  # fmt: skip

    def compile(self) -> list[Check]:
        checks: list[Check] = []
        for shape in self.model.targeted():
            targets = " UNION ".join(self._target(name, value) for name, value in shape.targets)
            checks.extend(self._shape_checks(shape, fill("focus-nodes", targets=targets), []))
        return checks

    # --- top level: one query per constraint -----------------------------------------------------------
    def _target(self, name: str, value: Node) -> str:
        term = term_sparql(value)
        return {
            "targetClass": lambda: fill("target-class", **{"class": term}),
            "targetNode": lambda: fill("target-node", node=term),
            "targetSubjectsOf": lambda: fill("target-subjects-of", predicate=term),
            "targetObjectsOf": lambda: fill("target-objects-of", predicate=term),
        }[name]()

    def _shape_checks(self, shape: Shape, focus: str, context: list[str]) -> list[Check]:
        """The checks of `shape` on the focus nodes `focus` binds; `context` names the focus variables of the
        enclosing property shapes (empty at the top)."""
        if shape.deactivated:
            return []
        checks: list[Check] = []
        path = self.path(shape.path) if shape.path is not None else None
        for constraint in shape.constraints:
            if constraint.component == "property":
                nested = self.model.shape(constraint.value)  # type: ignore[arg-type]
                if path is None:
                    checks.extend(self._shape_checks(nested, focus, context))
                else:
                    parent = self.fresh()
                    inner = fill("value-nodes", focus=focus, path=path, parent=parent, context=" ".join(context))
                    checks.extend(self._shape_checks(nested, inner, [*context, parent]))
                continue
            self._oracles = []
            if path is None:
                if constraint.component in ("minCount", "maxCount"):
                    continue  # not defined on node shapes
                conforming = self.conforming_set(constraint, "?focus")
                if conforming is not None:
                    query = fill("query-focus-node-minus", focus=focus, conforming=conforming,
                                 context=" ".join(context))
                else:
                    condition = self.value_ok(constraint, "?focus", None)
                    query = fill("query-focus-node", focus=focus, condition=condition, context=" ".join(context))
                # sh:hasValue names no value node in its result (SHACL 4.8.1); every other component does.
                reports = constraint.component != "hasValue"
                checks.append(Check(query, constraint, shape, reports_value=reports, value_is_focus=reports,
                                    oracles=self._oracles))
            elif constraint.component in ("minCount", "maxCount"):
                count = int(constraint.value)  # type: ignore[call-overload]
                if constraint.component == "minCount" and count <= 0:
                    continue
                name = "query-min-count-one" if (constraint.component, count) == ("minCount", 1) else (
                    "query-min-count" if constraint.component == "minCount" else "query-max-count")
                query = fill(name, focus=focus, path=path, count=str(count), context=" ".join(context))
                checks.append(Check(query, constraint, shape, reports_value=False))
            elif constraint.component == "hasValue":
                query = fill("query-has-value", focus=focus, path=path, value=term_sparql(constraint.value),
                             context=" ".join(context))
                checks.append(Check(query, constraint, shape, reports_value=False))
            else:
                conforming = self.conforming_set(constraint, "?value")
                if conforming is not None:
                    query = fill("query-value-nodes-minus", focus=focus, path=path, conforming=conforming,
                                 context=" ".join(context))
                else:
                    condition = self.value_ok(constraint, "?value", path)
                    query = fill("query-value-nodes", focus=focus, path=path, condition=condition,
                                 context=" ".join(context))
                checks.append(Check(query, constraint, shape, reports_value=True, oracles=self._oracles))
        return checks

    # --- nested, as sets: a pattern that binds `node` to exactly the nodes that conform ----------------------
    def conforming_set(self, constraint: Constraint, node: str) -> str | None:
        """The nodes that satisfy a value-level constraint, or None where that set is not a finite pattern
        (sh:not, sh:maxCount, literal checks: those stay filters)."""
        component, value = constraint.component, constraint.value
        if component == "class":
            return fill("set-class", node=node, **{"class": term_sparql(value)})
        if component == "hasValue":
            return fill("set-values", node=node, values=term_sparql(value))
        if component == "in":
            return fill("set-values", node=node, values=" ".join(term_sparql(m) for m in value))  # type: ignore[union-attr]
        if component in ("node", "property"):
            return self.shape_set(self.model.shape(value), node)  # type: ignore[arg-type]
        if component in ("or", "and"):
            members = [self.shape_set(self.model.shape(m), node) for m in value]  # type: ignore[union-attr]
            if any(member is None for member in members):
                return None
            if component == "or":
                return "{ " + " UNION ".join(members) + " }"  # type: ignore[arg-type]
            return "{ " + " ".join(members) + " }"  # type: ignore[arg-type]
        return None

    def shape_set(self, shape: Shape, node: str) -> str | None:
        if shape.deactivated or not shape.constraints:
            return None  # every node conforms: no finite set
        parts: list[str | None] = []
        if shape.path is not None:
            path = self.path(shape.path)
            for constraint in shape.constraints:
                if constraint.component == "minCount" and int(constraint.value) >= 1:  # type: ignore[call-overload]
                    parts.append(fill("set-path-at-least", node=node, path=path, inner=self.fresh(),
                                      count=str(int(constraint.value))))  # type: ignore[call-overload]
                elif constraint.component == "hasValue":
                    parts.append(fill("set-path-has-value", node=node, path=path,
                                      value=term_sparql(constraint.value)))
                else:
                    parts.append(None)
        else:
            parts = [self.conforming_set(constraint, node) for constraint in shape.constraints]
        if not parts or any(part is None for part in parts):
            return None
        return "{ " + " ".join(parts) + " }"  # type: ignore[arg-type]

    # --- nested: does one node conform? -------------------------------------------------------------------
    def conforms(self, shape: Shape, node: str, context_path: str | None) -> str:
        """`node` conforms to `shape`; `context_path` is how the node was reached (None: unknown)."""
        if shape.deactivated:
            return "true"
        if shape.path is not None:
            path = self.path(shape.path)
            parts = [self.property_ok(c, node, path) for c in shape.constraints]
        else:
            parts = [self.value_ok(c, node, context_path) for c in shape.constraints
                     if c.component not in ("minCount", "maxCount")]
        return _and(parts)

    def property_ok(self, constraint: Constraint, node: str, path: str) -> str:
        component = constraint.component
        if component == "minCount":
            count = int(constraint.value)  # type: ignore[call-overload]
            return "true" if count <= 0 else self._at_least(node, path, count, "path-at-least")
        if component == "maxCount":
            return self._at_least(node, path, int(constraint.value) + 1, "path-at-most")  # type: ignore[call-overload]
        if component == "hasValue":
            return fill("path-has-value", node=node, path=path, value=term_sparql(constraint.value))
        inner = self.fresh()
        if component == "property":
            condition = self.conforms(self.model.shape(constraint.value), inner, path)  # type: ignore[arg-type]
        else:
            condition = self.value_ok(constraint, inner, path)
        return fill("path-all", node=node, path=path, inner=inner, condition=condition)

    def value_ok(self, constraint: Constraint, node: str, context_path: str | None) -> str:
        component, value = constraint.component, constraint.value
        if component == "class":
            return fill("has-class", node=node, **{"class": term_sparql(value)})
        if component == "datatype":
            return self._datatype(node, value, context_path)  # type: ignore[arg-type]
        if component == "nodeKind":
            return _node_kind(node, value)  # type: ignore[arg-type]
        if component in RANGE_OPERATORS:
            return self._range(node, component, value, context_path)  # type: ignore[arg-type]
        if component == "hasValue":
            return f"sameTerm({node}, {term_sparql(value)})"
        if component == "in":
            return _or([f"sameTerm({node}, {term_sparql(member)})" for member in value])  # type: ignore[union-attr]
        if component in ("node", "property"):
            return self.conforms(self.model.shape(value), node, context_path)  # type: ignore[arg-type]
        if component == "not":
            return f"!({self.conforms(self.model.shape(value), node, context_path)})"  # type: ignore[arg-type]
        members = [self.conforms(self.model.shape(m), node, context_path) for m in value]  # type: ignore[union-attr]
        if component == "or":
            return _or(members)
        if component == "and":
            return _and(members)
        if component == "xone":
            return "(" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1"
        raise UnsupportedShapes(f"Die schnelle Prüfung kennt sh:{component} nicht.")

    # --- literals ----------------------------------------------------------------------------------------
    def _datatype(self, node: str, datatype: Node, context_path: str | None) -> str:
        if datatype == RDFS.Literal:
            return f"isLiteral({node})"
        if datatype == RDFS.Datatype:
            return (f"COALESCE(isLiteral({node}) && datatype({node}) NOT IN "
                    f"({term_sparql(XSD.string)}, {term_sparql(RDF.langString)}), false)")
        dt = term_sparql(datatype)
        if datatype in ALWAYS_VALID or not rdflib_knows(datatype):
            return fill("has-datatype", node=node, datatype=dt, valid="true")
        pattern = FAST_PATTERNS.get(URIRef(str(datatype)))
        fast = f'REGEX(STR({node}), "{pattern}")' if pattern else "false"
        decided = f"datatype(?value) != {dt}" + (f' || REGEX(STR(?value), "{pattern}")' if pattern else "")
        oracle = self._oracle(node, context_path, decided, datatype_rule(datatype), f"datatype {datatype}")
        return fill("has-datatype", node=node, datatype=dt, valid=f"{fast} || {oracle}")

    def _range(self, node: str, component: str, bound: Node, context_path: str | None) -> str:
        if not isinstance(bound, Literal):
            raise UnsupportedShapes(f"sh:{component} mit einem Wert, der kein Literal ist: {bound}")
        if fast_numeric_bound(bound):
            decided_for = " || ".join(
                f'(datatype(?value) = {term_sparql(dt)} && REGEX(STR(?value), "{FAST_PATTERNS[dt]}"))'
                for dt in NUMERIC_FAST
            )
        else:
            decided_for = "false"
        decided_here = f"COALESCE({decided_for.replace('?value', node)}, false)"
        oracle = self._oracle(node, context_path, f"COALESCE({decided_for}, false)", range_rule(component, bound),
                              f"{component} {bound.n3()}")
        return fill("compare", decided=decided_here, node=node, operator=RANGE_OPERATORS[component],
                    bound=term_sparql(bound), oracle=oracle)

    def _oracle(self, node: str, context_path: str | None, decided: str, rule: Callable[[Literal], bool],
                key: str) -> str:
        marker = f"__ORACLE_{next(self._counter)}__"
        path = context_path if context_path is not None else "?anyPredicate"
        candidates = fill("query-literal-candidates", path=path, decided=decided)
        self._oracles.append(Oracle(marker, node, candidates, rule, key, scan_all=context_path is None))
        return marker

    # --- helpers -----------------------------------------------------------------------------------------
    def _at_least(self, node: str, path: str, count: int, fragment: str) -> str:
        names = [self.fresh() for _ in range(count)]
        pattern = " . ".join(f"{node} {path} {name}" for name in names)
        distinct = _and([f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)])
        return fill(fragment, pattern=pattern, distinct=distinct)

    def fresh(self) -> str:
        return f"?_v{next(self._counter)}"

    def path(self, node: Node) -> str:
        return sparql_path(self.graph, node)


def sparql_path(graph: Graph, node: Node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(node, URIRef):
        return term_sparql(node)
    if (node, RDF.first, None) in graph:
        return "(" + "/".join(sparql_path(graph, step) for step in Collection(graph, node)) + ")"
    for predicate, operator in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(node, predicate)
        if inner is not None:
            return f"({sparql_path(graph, inner)}){operator}"
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return f"^({sparql_path(graph, inverse)})"
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        steps = Collection(graph, alternatives)
        return "(" + "|".join(sparql_path(graph, step) for step in steps) + ")"
    raise UnsupportedShapes(f"Unbekannter SHACL-Pfad: {node}")


def term_sparql(term: Node | list[Node]) -> str:
    if isinstance(term, BNode | list):
        raise UnsupportedShapes(f"Ein leerer Knoten als Wert in einer Form lässt sich nicht abfragen: {term}")
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term)).n3()
    return term.n3()


def _node_kind(node: str, kind: Node) -> str:
    tests: dict[Node, str] = {
        SH.IRI: f"isIRI({node})", SH.BlankNode: f"isBlank({node})", SH.Literal: f"isLiteral({node})",
        SH.BlankNodeOrIRI: f"(isBlank({node}) || isIRI({node}))",
        SH.BlankNodeOrLiteral: f"(isBlank({node}) || isLiteral({node}))",
        SH.IRIOrLiteral: f"(isIRI({node}) || isLiteral({node}))",
    }  # fmt: skip
    if kind not in tests:
        raise UnsupportedShapes(f"Unbekannte sh:nodeKind {kind}")
    return tests[kind]


def _and(parts: list[str]) -> str:
    parts = [part for part in parts if part != "true"]
    return "(" + " && ".join(parts) + ")" if parts else "true"


def _or(parts: list[str]) -> str:
    return "(" + " || ".join(parts) + ")" if parts else "false"
