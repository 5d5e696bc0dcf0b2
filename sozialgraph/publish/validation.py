"""Validation of published files against other people's rules: DCAT-AP.de SHACL shapes and HSDS JSON schemas."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import rdflib
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from sozialgraph.publish.resources import dcat_shape_files, hsds_schema_dir

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
# Which schema each HSDS file's records follow. The compiled service schema is self-contained; the others are
# resolved through a registry of the schema folder (they refer to each other as `phone.json` etc.).
HSDS_SCHEMA_FOR = {
    "services.json": "compiled/service_with_definitions.json",
    "organizations.json": "organization.json",
    "locations.json": "location.json",
    "service_at_locations.json": "service_at_location.json",
    "taxonomies.json": "taxonomy.json",
    "taxonomy_terms.json": "taxonomy_term.json",
}


@dataclass
class ShapeResult:
    severity: str
    focus: str
    path: str
    message: str


@dataclass
class ShapeReport:
    conforms: bool
    results: list[ShapeResult] = field(default_factory=list)

    @property
    def violations(self) -> list[ShapeResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ShapeResult]:
        return [r for r in self.results if r.severity != "Violation"]


@cache
def _dcat_shapes(files: tuple[Path, ...]) -> rdflib.Graph:
    shapes = rdflib.Graph()
    for path in files:
        shapes.parse(path, format="turtle")
    return shapes


def validate_dcat(catalog: rdflib.Graph, shape_files: list[Path] | None = None) -> ShapeReport:
    from pyshacl import validate

    shapes = _dcat_shapes(tuple(shape_files or dcat_shape_files()))
    conforms, report, _ = validate(catalog, shacl_graph=shapes, allow_warnings=True, advanced=True)
    results = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        messages = [m for m in report.objects(result, SH.resultMessage)]
        german = [m for m in messages if getattr(m, "language", None) == "de"] or messages
        results.append(ShapeResult(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=str(report.value(result, SH.focusNode)),
            path=str(report.value(result, SH.resultPath) or ""),
            message=str(german[0]) if german else "",
        ))
    results.sort(key=lambda r: (r.severity, r.focus, r.path, r.message))
    return ShapeReport(bool(conforms) and not any(r.severity == "Violation" for r in results), results)


@cache
def _hsds_registry(folder: Path) -> Registry:
    resources = []
    for path in sorted(folder.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(schema, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def hsds_validator(file_name: str, folder: Path | None = None) -> Draft202012Validator:
    schemas = folder or hsds_schema_dir()
    schema = json.loads((schemas / HSDS_SCHEMA_FOR[file_name]).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=_hsds_registry(schemas),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def hsds_errors(file_name: str, records: Any, folder: Path | None = None) -> list[str]:
    """German messages for every schema error of a published HSDS file (a JSON array of records)."""
    if not isinstance(records, list):
        return [f"hsds/{file_name}: erwartet wird eine JSON-Liste von Datensätzen"]
    validator = hsds_validator(file_name, folder)
    problems = []
    for index, record in enumerate(records):
        for error in sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path)):
            problems.append(_hsds_message(file_name, index, record, error))
    return problems


def _hsds_message(file_name: str, index: int, record: Any, error: ValidationError) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "(Datensatz)"
    identifier = record.get("id", "?") if isinstance(record, dict) else "?"
    return (f"hsds/{file_name}, Eintrag {index + 1} (id {identifier}), Feld {where}: entspricht nicht dem "
            f"HSDS-3.0-Schema ({error.message})")
