"""Turn the rows of one table into triples, refusing only what cannot be represented.

Missing values are not refused: they are left out, and the SHACL check names them, so an inventory can be
completed step by step.

The triples are written as N-Triples text (see `sozialgraph.store.ntriples`): at state scale, building a pyoxigraph
object per term took longer than Oxigraph's bulk load of the result. Each column is compiled once per table into
a function from cell text to N-Triples terms, and code lookups are cached per column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Triple

from loaders.spreadsheets import RawTable
from loaders.tables import Column, Table, ValueType
from loaders.values import (
    CellError,
    coordinate,
    decimal_text,
    integer_text,
    iso_date,
    period_text,
    url_text,
)
from sozialgraph.errors import InputError
from sozialgraph.namespaces import GEO, QB, RDF, RDFS, SG, XSD
from sozialgraph.store.ntriples import NTriples
from sozialgraph.vocabulary import code_list

WKT = NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")
_TYPE = str(RDF.type)
_DATA_SET = str(QB.dataSet)
_HAS_GEOMETRY, _GEOMETRY, _AS_WKT = str(GEO.hasGeometry), str(GEO.Geometry), str(GEO.asWKT)
_WKT_TYPE = f"^^{WKT}"
_DATE_TYPE, _INTEGER_TYPE, _DECIMAL_TYPE = f"^^{XSD.date}", f"^^{XSD.integer}", f"^^{XSD.decimal}"


@dataclass
class Reference:
    iri: str
    file: str
    row: int | None
    column: str | None
    value: str


@dataclass
class Converted:
    public: NTriples = field(default_factory=NTriples)
    internal: NTriples = field(default_factory=NTriples)
    defined: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)
    """The first reference to each entity: the one an error about that entity names."""
    referenced: set[str] = field(default_factory=set)
    internal_entities: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    unplaced: list[tuple[NamedNode, float, float, str, int]] = field(default_factory=list)
    """Entities with coordinates but no social space: (iri, lat, lon, file, row), for point-in-polygon."""


@lru_cache(maxsize=1 << 16)
def entity_iri(base: str, kind: str, identifier: str) -> NamedNode:
    return NamedNode(entity_value(base, kind, identifier))


def entity_value(base: str, kind: str, identifier: str) -> str:
    return f"{base}{kind}/{quote(identifier, safe='-._~')}"


def string_term(text: str, suffix: str = "") -> str:
    """A literal in N-Triples; `suffix` is `@lang` or `^^<datatype>`. Anything but plain printable text without
    quotes and backslashes goes through Oxigraph's own serialiser, so escaping is never written by hand."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"{suffix}'
    if suffix.startswith("@"):
        return str(Literal(text, language=suffix[1:]))
    if suffix:
        return str(Literal(text, datatype=NamedNode(suffix[3:-1])))
    return str(Literal(text))


Terms = Callable[[str], list[str]]
"""A compiled column: cell text -> the N-Triples terms of its values (raises CellError)."""


@dataclass(frozen=True)
class _Cell:
    name: str
    predicate: str = ""
    terms: Terms | None = None
    """Cell text -> the terms of its values (not for references and coordinates)."""
    items: Callable[[str], list[str]] | None = None
    entity: Callable[[str], str] | None = None
    """For references: the ids written in the cell, and the term of each."""
    classes: Callable[[str], str] | None = None
    """For an actor kind: the class the actor gets."""
    bounds: tuple[float, float, str] | None = None
    """For a coordinate: its range and German name."""
    latitude: bool = False


@dataclass
class _Plan:
    subject_type: str | None
    cells: list[_Cell]
    places: bool
    """Rows with coordinates and no social space are placed by point in polygon."""


class TableConverter:
    def __init__(self, base_uri: str) -> None:
        self.base = base_uri
        NamedNode(entity_value(base_uri, "kind", "id"))  # an invalid base fails here, not in the bulk load
        self._plans: dict[tuple[str, str], _Plan] = {}
        self._internal: dict[str, bool] = {}

    def convert(self, raw: RawTable, into: Converted) -> None:
        table = raw.table
        for name in raw.header:
            if name and table.column(name) is None:
                into.warnings.append(
                    f"{raw.file}: Spalte '{name}' ist unbekannt und wird ignoriert "
                    f"(bekannt: {', '.join(table.column_names)})"
                )
        if table.name != "indicators" and "id" not in raw.header:
            raise InputError(raw.file, "die Spalte 'id' fehlt in der Kopfzeile", row=1, column="id")
        if table.name == "indicators" and raw.rows:
            into.public.extend(self._data_set())
        plan = self._plan(table, raw.list_separator)
        prefix = f"{self.base}{table.kind}/"
        head: list[str] = []
        if plan.subject_type is not None:
            head.append(f" {_TYPE} {plan.subject_type} .\n")
        if table.name == "indicators":
            head.append(f" {_DATA_SET} {self.indicator_data_set} .\n")
        seen: dict[str, int] = {}
        defined = into.defined
        public, internal = into.public, into.internal
        for number, row in raw.rows:
            iri = prefix + quote(self._identifier(raw, table, number, row), safe="-._~")
            if iri in seen:
                raise InputError(raw.file, f"die Id kommt doppelt vor (schon in Zeile {seen[iri]})",
                                 row=number, column="id" if "id" in row else None,
                                 value=row.get("id"))
            seen[iri] = number
            subject = f"<{iri}>"
            lines = [subject + line for line in head]
            self._row(raw, plan, number, row, iri, subject, lines, into)
            access = row.get("access", "").strip()
            if access and self._is_internal(access):
                internal.add_statements(lines)
                into.internal_entities.add(iri)
            else:
                public.add_statements(lines)
            defined.add(iri)

    def _data_set(self) -> list[Triple]:
        """The cube the observations belong to, so that RDF Data Cube tools find its structure (qb IC-1, IC-2)."""
        data_set = self.indicator_data_set
        return [
            Triple(data_set, RDF.type, QB.DataSet),
            Triple(data_set, QB.structure, SG.IndicatorStructure),
            Triple(data_set, RDFS.label, Literal("Indikatorwerte je Sozialraum", language="de")),
            Triple(data_set, RDFS.label, Literal("Indicator values per social space", language="en")),
        ]

    @property
    def indicator_data_set(self) -> NamedNode:
        return NamedNode(f"{self.base}dataset/indicators")

    @staticmethod
    def _identifier(raw: RawTable, table: Table, number: int, row: dict[str, str]) -> str:
        if table.name == "indicators":
            parts = [row.get("social_space", ""), row.get("indicator", ""), row.get("period", "")]
            if not all(parts):
                missing = [name for name, part in zip(("social_space", "indicator", "period"), parts,
                                                      strict=True) if not part]
                raise InputError(raw.file, "Pflichtangabe fehlt", row=number, column=missing[0])
            return "-".join(parts)
        identifier = row.get("id", "")
        if not identifier:
            raise InputError(raw.file, "die Id fehlt; jede Zeile braucht eine eindeutige Id", row=number,
                             column="id")
        return identifier

    def _row(self, raw: RawTable, plan: _Plan, number: int, row: dict[str, str], iri: str, subject: str,
             lines: list[str], into: Converted) -> None:
        lat = lon = None
        for cell in plan.cells:
            text = row.get(cell.name)
            if not text:
                continue
            try:
                if cell.terms is not None:
                    start = f"{subject} {cell.predicate} "
                    for term in cell.terms(text):
                        lines.append(f"{start}{term} .\n")
                    if cell.classes is not None:
                        lines.append(f"{subject} {_TYPE} {cell.classes(text)} .\n")
                elif cell.items is not None and cell.entity is not None:
                    for item in cell.items(text):
                        term = cell.entity(item)
                        lines.append(f"{subject} {cell.predicate} {term} .\n")
                        target = term[1:-1]
                        if target not in into.referenced:
                            into.referenced.add(target)
                            into.references.append(Reference(target, raw.file, number, cell.name, item))
                elif cell.bounds is not None:
                    if cell.latitude:
                        lat = coordinate(text, *cell.bounds)
                    else:
                        lon = coordinate(text, *cell.bounds)
            except CellError as error:
                raise InputError(raw.file, error.problem, row=number, column=cell.name, value=text,
                                 allowed=error.allowed) from error
        if (lat is None) != (lon is None):
            missing = "lon" if lon is None else "lat"
            raise InputError(raw.file, "Koordinaten brauchen lat und lon", row=number, column=missing)
        if lat is not None and lon is not None:
            geometry = f"<{iri}#geometry>"
            lines.append(f"{subject} {_HAS_GEOMETRY} {geometry} .\n")
            lines.append(f"{geometry} {_TYPE} {_GEOMETRY} .\n")
            lines.append(f"{geometry} {_AS_WKT} {string_term(f'POINT({lon} {lat})', _WKT_TYPE)} .\n")
            if plan.places and not row.get("social_space"):
                into.unplaced.append((NamedNode(iri), lat, lon, raw.file, number))

    def _is_internal(self, access: str) -> bool:
        known = self._internal.get(access)
        if known is None:
            codes = code_list("access")
            known = self._internal[access] = codes.lookup(access) == codes.codes.get("internal")
        return known

    # --- compiling a table's columns ---------------------------------------------------------------------
    def _plan(self, table: Table, separator: str) -> _Plan:
        key = (table.name, separator)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._compile(table, separator)
        return plan

    def _compile(self, table: Table, separator: str) -> _Plan:
        cells: list[_Cell] = []
        for column in table.columns:
            kind = column.type
            if kind is ValueType.LATITUDE:
                cells.append(_Cell(column.name, bounds=(-90, 90, "Breitengrad"), latitude=True))
                continue
            if kind is ValueType.LONGITUDE:
                cells.append(_Cell(column.name, bounds=(-180, 180, "Längengrad")))
                continue
            assert column.predicate is not None
            predicate = str(column.predicate)
            if kind is ValueType.REF:
                cells.append(_Cell(column.name, predicate, items=lambda text: [text], entity=self._entity(column)))
            elif kind is ValueType.REFS:
                cells.append(_Cell(column.name, predicate, items=lambda text: _split(text, separator),
                                   entity=self._entity(column)))
            else:
                classes = self._actor_classes(column) if kind is ValueType.ACTOR_KIND else None
                cells.append(_Cell(column.name, predicate, self._terms(column, separator), classes=classes))
        rdf_class = None if table.rdf_class is None else str(table.rdf_class)
        return _Plan(rdf_class, cells, table.column("social_space") is not None)

    def _terms(self, column: Column, separator: str) -> Terms:
        kind = column.type
        if kind in (ValueType.ID, ValueType.STRING):
            return lambda text: [string_term(text)]
        if kind in (ValueType.LABEL, ValueType.TEXT):
            return lambda text: [string_term(text, "@de")]
        if kind in (ValueType.CODE, ValueType.ACTOR_KIND, ValueType.ACCESS):
            code = self._code(column)
            return lambda text: [code(text)]
        if kind is ValueType.CODES:
            code = self._code(column)
            return lambda text: [code(item) for item in _split(text, separator)]
        if kind is ValueType.DATE:
            return _cached(lambda text: string_term(iso_date(text), _DATE_TYPE))
        if kind is ValueType.INTEGER:
            return lambda text: [string_term(integer_text(text), _INTEGER_TYPE)]
        if kind is ValueType.DECIMAL:
            return lambda text: [string_term(decimal_text(text), _DECIMAL_TYPE)]
        if kind is ValueType.URL:
            return lambda text: [str(NamedNode(url_text(text)))]
        if kind is ValueType.PERIOD:
            return lambda text: [string_term(period_text(text))]
        raise AssertionError(kind)

    @staticmethod
    def _code(column: Column) -> Callable[[str], str]:
        assert column.target is not None
        codes = code_list(column.target)
        found: dict[str, str] = {}

        def code(text: str) -> str:
            term = found.get(text)
            if term is None:
                match = codes.lookup(text)
                if match is None:
                    raise CellError(f"unbekannter Code '{text}'", codes.allowed())
                term = found[text] = str(match.iri)
            return term

        return code

    @staticmethod
    def _actor_classes(column: Column) -> Callable[[str], str]:
        """The class an actor of this kind gets, as its code in ontology/codes/actor-kind.ttl says."""
        assert column.target is not None
        codes = code_list(column.target)

        @lru_cache(maxsize=256)
        def actor_class(text: str) -> str:
            code = codes.lookup(text)
            return str(code.actor_class if code is not None and code.actor_class is not None else SG.Actor)

        return actor_class

    def _entity(self, column: Column) -> Callable[[str], str]:
        assert column.target is not None
        prefix = f"{self.base}{column.target}/"

        @lru_cache(maxsize=1 << 16)
        def entity(text: str) -> str:
            return f"<{prefix}{quote(text, safe='-._~')}>"

        return entity


def _cached(term: Callable[[str], str]) -> Terms:
    """Dates repeat: keep each distinct cell's term (a bounded number of them)."""
    return lru_cache(maxsize=1 << 14)(lambda text: [term(text)])


def _split(text: str, separator: str) -> list[str]:
    return [item.strip() for item in text.split(separator) if item.strip()]
