"""Datenqualität: the SHACL results grouped by entity, with the German messages and a link to each entity."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.auth import access_of
from api.context import context
from api.errors import Problem
from api.lookup import labels
from api.web import NavItem, render
from sozialgraph.validation import SEVERITY_GERMAN, ValidationResult

router = APIRouter(include_in_schema=False)
NAV = NavItem(40, "Datenqualität", "/datenqualitaet")
SEVERITIES = {"fehler": "Violation", "hinweise": "Warning"}


@dataclass
class EntityIssues:
    focus: str
    identifier: str
    kind: str
    href: str | None
    results: list[ValidationResult] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for result in self.results if result.severity == "Violation")


@router.get("/datenqualitaet", response_class=HTMLResponse)
def quality(request: Request, nur: str = "") -> HTMLResponse:
    if nur and nur not in SEVERITIES:
        raise Problem(400, f"Unbekannter Filter '{nur}'. Erlaubt: {', '.join(SEVERITIES)}")
    ctx = context(request)
    report = ctx.quality.report(access_of(request).internal)
    chosen = [r for r in report.results if not nur or r.severity == SEVERITIES[nur]]
    names = labels(ctx.store, {klass for r in chosen for klass in r.classes}
                   | {r.path for r in chosen if r.path})
    groups: dict[str, EntityIssues] = {}
    for result in chosen:
        group = groups.get(result.focus)
        if group is None:
            kind = ", ".join(names.get(k, k.rsplit("#", 1)[-1]) for k in result.classes) or "Ressource"
            group = groups[result.focus] = EntityIssues(result.focus, result.identifier or result.focus, kind,
                                                        ctx.local_path(result.focus))
        group.results.append(result)
    ordered = sorted(groups.values(), key=lambda g: (-g.errors, g.kind, g.identifier))
    return render(request, "quality.html", {
        "title": "Datenqualität",
        "groups": ordered,
        "conforms": report.conforms,
        "violations": len(report.violations),
        "warnings": len(report.warnings),
        "severity_names": SEVERITY_GERMAN,
        "property_names": names,
        "filter": nur,
    })
