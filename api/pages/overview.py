"""Übersicht: what is in the inventory, how complete it is per class and per Sozialraum, recent loads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pyoxigraph import Literal, NamedNode

from api.auth import access_of
from api.context import context
from api.lookup import labels
from api.web import NavItem, render
from sozialgraph.namespaces import PREFIXES
from sozialgraph.space_closure import DERIVED_GRAPHS
from sozialgraph.stats import class_counts
from sozialgraph.validation import ValidationResult
from sozialgraph.vocabulary import code_list

router = APIRouter(include_in_schema=False)
NAV = NavItem(10, "Übersicht", "/")
_ENTITY_SPACES = (Path(__file__).parent.parent / "rq" / "entity-spaces.rq").read_text(encoding="utf-8")


@dataclass
class Completeness:
    key: str
    label: str
    total: int
    with_errors: int
    with_warnings: int

    @property
    def percent(self) -> int:
        return round(100 * (self.total - self.with_errors) / self.total) if self.total else 100


def _expand(compact: str) -> str:
    prefix, _, local = compact.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("/") else compact


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    ctx = context(request)
    internal = access_of(request).internal
    store = ctx.store
    counts = {_expand(name): count for name, count in class_counts(store, internal).items()}
    class_labels = labels(store, counts)
    report = ctx.quality.report(internal)
    errors: dict[str, set[str]] = {}
    warnings: dict[str, set[str]] = {}
    for result in report.results:
        target = errors if result.severity == "Violation" else warnings
        for klass in result.classes:
            target.setdefault(klass, set()).add(result.focus)
    per_class = [
        Completeness(iri, class_labels.get(iri, iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]), count,
                     len(errors.get(iri, ())), len(warnings.get(iri, ())))
        for iri, count in counts.items()
        if iri.startswith(PREFIXES["sg"]) or iri in errors
    ]
    per_class.sort(key=lambda item: item.label)
    per_space = _per_space(request, report.results)
    graphs = [info for info in store.graphs(internal) if info.name not in DERIVED_GRAPHS]
    recent = sorted((g for g in graphs if g.name != "_vocabulary"), key=lambda g: g.loaded_at or "",
                    reverse=True)[:8]
    return render(request, "overview.html", {
        "title": "Übersicht",
        "triples": sum(g.triples for g in graphs),
        "graph_count": len(graphs),
        "per_class": per_class,
        "per_space": per_space,
        "recent": recent,
        "violations": len(report.violations),
        "warnings": len(report.warnings),
        "open_results": report.results[:8],
        "target_groups": [(c.notation, c.label_de) for c in code_list("target-group").codes.values()],
    })


def _per_space(request: Request, results: list[ValidationResult]) -> list[Completeness]:
    ctx = context(request)
    level = code_list("space-level").codes.get("sozialraum")
    if level is None:
        return []
    rows = ctx.store.select(_ENTITY_SPACES, [{"_level": level.iri}],
                            include_internal=access_of(request).internal).rows
    members: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for row in rows:
        entity, space, label = row.get("entity"), row.get("social_space"), row.get("social_space_label")
        if isinstance(entity, NamedNode) and isinstance(space, Literal):
            members.setdefault(space.value, set()).add(entity.value)
            names[space.value] = label.value if isinstance(label, Literal) else space.value
    failing = {r.focus for r in results if r.severity == "Violation"}
    warned = {r.focus for r in results if r.severity == "Warning"}
    return [Completeness(space, names[space], len(entities), len(entities & failing), len(entities & warned))
            for space, entities in sorted(members.items())]
