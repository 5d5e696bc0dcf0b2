"""Lückenmatrix: offers per Sozialraum × Handlungsfeld for one target group, as a heatmap.

A cell with offers links to them, an empty cell (a gap) to the coverage-gaps query for that combination.
The numbers come from the saved query `coverage-matrix`, so the page and its download agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.auth import access_of
from api.context import context
from api.errors import Problem
from api.lookup import resources_by_id
from api.pages.queries import RUN_FLAG, fields
from api.routes.queries import run_saved
from api.web import NavItem, render
from sozialgraph.errors import SozialgraphError

router = APIRouter(include_in_schema=False)
NAV = NavItem(30, "Lückenmatrix", "/lueckenmatrix")
QUERY = "coverage-matrix"
HEAT_LEVELS = 5


@dataclass
class MatrixCell:
    count: int
    href: str
    title: str
    heat: int


@dataclass
class MatrixRow:
    space: str
    label: str
    href: str | None
    cells: list[MatrixCell] = field(default_factory=list)


def _choices(request: Request) -> dict[str, str]:
    allowed = {"target_group", "level"}
    values = {}
    for key, value in request.query_params.items():
        if key not in allowed:
            raise Problem(400, f"Die Lückenmatrix kennt den Parameter '{key}' nicht. Parameter: level, target_group")
        if value:
            values[key] = value
    return values


@router.get("/lueckenmatrix", response_class=HTMLResponse)
def matrix(request: Request) -> HTMLResponse:
    ctx = context(request)
    values = _choices(request)
    try:
        result = run_saved(request, QUERY, values)
    except SozialgraphError as error:
        raise Problem(400, error.message) from error
    chosen = {**result.parameters, **values}
    fields_of_action: dict[str, str] = {}
    rows: dict[str, MatrixRow] = {}
    spaces = resources_by_id(ctx.store, {str(r["social_space"]) for r in result.rows}, access_of(request).internal)
    peak = max((int(r["offers"] or 0) for r in result.rows), default=0)
    group_label = ""
    for row in result.rows:
        space, field_code, count = str(row["social_space"]), str(row["field_of_action"]), int(row["offers"] or 0)
        fields_of_action.setdefault(field_code, str(row["field_of_action_label"]))
        group_label = str(row["target_group_label"])
        target = spaces.get(space)
        line = rows.setdefault(space, MatrixRow(space, str(row["social_space_label"] or space),
                                                ctx.local_path(target[0]) if target else None))
        common = {"level": chosen.get("level", ""), "target_group": str(row["target_group"]),
                  "field_of_action": field_code}
        if count:
            href = "/lueckenmatrix/angebote?" + urlencode({**common, "social_space": space})
            title = f"{count} Angebot(e) in {line.label} für {row['field_of_action_label']}"
        else:
            href = f"/abfragen/coverage-gaps?{urlencode({**common, RUN_FLAG: '1'})}"
            title = f"Lücke: kein Angebot in {line.label} für {row['field_of_action_label']}"
        heat = 0 if count == 0 else min(HEAT_LEVELS, 1 + round((count - 1) * (HEAT_LEVELS - 1) / max(peak - 1, 1)))
        line.cells.append(MatrixCell(count, href, title, heat))
    query = ctx.catalog.get(QUERY)
    form = [f for f in fields(query, chosen) if f.param.name in ("target_group", "level")]
    download = f"/api/queries/{QUERY}?" + urlencode({**values, "format": "csv"})
    return render(request, "gaps.html", {
        "title": "Lückenmatrix",
        "fields": form,
        "columns": fields_of_action,
        "rows": list(rows.values()),
        "group_label": group_label,
        "gaps": sum(1 for row in result.rows if not row["offers"]),
        "download": download,
        "heat_levels": range(HEAT_LEVELS + 1),
    })


@router.get("/lueckenmatrix/angebote", response_class=HTMLResponse)
def cell_offers(request: Request, social_space: str, field_of_action: str, target_group: str,
                level: str = "") -> HTMLResponse:
    ctx = context(request)
    values = {"target_group": target_group, "field_of_action": field_of_action}
    if level:
        values["level"] = level
    result = run_saved(request, QUERY, values)
    row = next((r for r in result.rows if r["social_space"] == social_space), None)
    if row is None:
        raise Problem(404, f"Den Raum '{social_space}' gibt es auf dieser Ebene nicht.")
    ids = [part for part in str(row["offer_ids"] or "").split(";") if part]
    found = resources_by_id(ctx.store, ids, access_of(request).internal)
    offers = [(found[i][1] if i in found else i, i, ctx.local_path(found[i][0]) if i in found else None)
              for i in ids]
    back = "/lueckenmatrix?" + urlencode({k: v for k, v in {"target_group": target_group, "level": level}.items()
                                          if v})
    return render(request, "cell.html", {
        "title": f"Angebote: {row['social_space_label']} – {row['field_of_action_label']}",
        "row": row, "offers": offers, "back": back,
    })
