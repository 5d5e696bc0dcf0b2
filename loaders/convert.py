"""Turn the rows of one table into triples, refusing only what cannot be represented.

Missing values are not refused: they are left out, and the SHACL check names them, so an inventory can be
completed step by step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Triple

from loaders.spreadsheets import RawTable
from loaders.tables import Column, Table, ValueType
from loaders.values import (
    CellError,
    coordinate,
    decimal_literal,
    integer_literal,
    parse_date,
    period_literal,
    url_text,
)
from sozialgraph.errors import InputError
from sozialgraph.namespaces import GEO, QB, RDF, RDFS, SG
from sozialgraph.vocabulary import code_list

WKT = NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")


@dataclass
class Reference:
    iri: str
    file: str
    row: int | None
    column: str | None
    value: str


@dataclass
class Converted:
    public: list[Triple] = field(default_factory=list)
    internal: list[Triple] = field(default_factory=list)
    defined: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unplaced: list[tuple[NamedNode, float, float, str, int]] = field(default_factory=list)
    """Entities with coordinates but no social space: (iri, lat, lon, file, row), for point-in-polygon."""


@lru_cache(maxsize=1 << 16)
def entity_iri(base: str, kind: str, identifier: str) -> NamedNode:
    return NamedNode(f"{base}{kind}/{quote(identifier, safe='-._~')}")


class TableConverter:
    def __init__(self, base_uri: str) -> None:
        self.base = base_uri

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
        seen: dict[str, int] = {}
        for number, row in raw.rows:
            subject = self._subject(raw, table, number, row)
            if subject.value in seen:
                raise InputError(raw.file, f"die Id kommt doppelt vor (schon in Zeile {seen[subject.value]})",
                                 row=number, column="id" if "id" in row else None,
                                 value=row.get("id"))
            seen[subject.value] = number
            triples = self._row(raw, table, number, row, subject, into)
            internal = row.get("access", "").strip()
            is_internal = bool(internal) and code_list("access").lookup(internal) == code_list(
                "access").codes.get("internal")
            (into.internal if is_internal else into.public).extend(triples)
            into.defined.add(subject.value)

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

    def _subject(self, raw: RawTable, table: Table, number: int, row: dict[str, str]) -> NamedNode:
        if table.name == "indicators":
            parts = [row.get("social_space", ""), row.get("indicator", ""), row.get("period", "")]
            if not all(parts):
                missing = [name for name, part in zip(("social_space", "indicator", "period"), parts,
                                                      strict=True) if not part]
                raise InputError(raw.file, "Pflichtangabe fehlt", row=number, column=missing[0])
            return entity_iri(self.base, table.kind, "-".join(parts))
        identifier = row.get("id", "")
        if not identifier:
            raise InputError(raw.file, "die Id fehlt; jede Zeile braucht eine eindeutige Id", row=number,
                             column="id")
        return entity_iri(self.base, table.kind, identifier)

    def _row(self, raw: RawTable, table: Table, number: int, row: dict[str, str], subject: NamedNode,
             into: Converted) -> list[Triple]:
        triples: list[Triple] = []
        if table.rdf_class is not None:
            triples.append(Triple(subject, RDF.type, table.rdf_class))
        if table.name == "indicators":
            triples.append(Triple(subject, QB.dataSet, self.indicator_data_set))
        lat = lon = None
        for column in table.columns:
            text = row.get(column.name, "")
            if not text:
                continue
            try:
                if column.type is ValueType.LATITUDE:
                    lat = coordinate(text, -90, 90, "Breitengrad")
                    continue
                if column.type is ValueType.LONGITUDE:
                    lon = coordinate(text, -180, 180, "Längengrad")
                    continue
                for value in self._values(column, text, raw.list_separator):
                    if isinstance(value, tuple):
                        iri, written = value
                        into.references.append(Reference(iri.value, raw.file, number, column.name, written))
                        value = iri
                    assert column.predicate is not None
                    triples.append(Triple(subject, column.predicate, value))
                    if column.type is ValueType.ACTOR_KIND:
                        triples.append(Triple(subject, RDF.type, self._actor_class(column, text)))
            except CellError as error:
                raise InputError(raw.file, error.problem, row=number, column=column.name, value=text,
                                 allowed=error.allowed) from error
        if (lat is None) != (lon is None):
            missing = "lon" if lon is None else "lat"
            raise InputError(raw.file, "Koordinaten brauchen lat und lon", row=number, column=missing)
        if lat is not None and lon is not None:
            geometry = NamedNode(subject.value + "#geometry")
            triples.append(Triple(subject, GEO.hasGeometry, geometry))
            triples.append(Triple(geometry, RDF.type, GEO.Geometry))
            triples.append(Triple(geometry, GEO.asWKT, Literal(f"POINT({lon} {lat})", datatype=WKT)))
            if not row.get("social_space") and table.column("social_space") is not None:
                into.unplaced.append((subject, lat, lon, raw.file, number))
        return triples

    def _actor_class(self, column: Column, text: str) -> NamedNode:
        """The class an actor of this kind gets, as its code in ontology/codes/actor-kind.ttl says."""
        assert column.target is not None
        code = code_list(column.target).lookup(text)
        return code.actor_class if code is not None and code.actor_class is not None else SG.Actor

    def _values(self, column: Column, text: str,
                separator: str) -> list[NamedNode | Literal | tuple[NamedNode, str]]:
        kind = column.type
        if kind in (ValueType.ID, ValueType.STRING):
            return [Literal(text)]
        if kind in (ValueType.LABEL, ValueType.TEXT):
            return [Literal(text, language="de")]
        if kind in (ValueType.CODE, ValueType.ACTOR_KIND, ValueType.ACCESS):
            return [self._code(column, text)]
        if kind is ValueType.CODES:
            return [self._code(column, item) for item in _split(text, separator)]
        if kind is ValueType.REF:
            return [self._reference(column, text)]
        if kind is ValueType.REFS:
            return [self._reference(column, item) for item in _split(text, separator)]
        if kind is ValueType.DATE:
            return [parse_date(text)]
        if kind is ValueType.INTEGER:
            return [integer_literal(text)]
        if kind is ValueType.DECIMAL:
            return [decimal_literal(text)]
        if kind is ValueType.URL:
            return [NamedNode(url_text(text))]
        if kind is ValueType.PERIOD:
            return [period_literal(text)]
        raise AssertionError(kind)

    def _code(self, column: Column, text: str) -> NamedNode:
        assert column.target is not None
        codes = code_list(column.target)
        code = codes.lookup(text)
        if code is None:
            raise CellError(f"unbekannter Code '{text}'", codes.allowed())
        return code.iri

    def _reference(self, column: Column, text: str) -> tuple[NamedNode, str]:
        assert column.target is not None
        return entity_iri(self.base, column.target, text), text


def _split(text: str, separator: str) -> list[str]:
    return [item.strip() for item in text.split(separator) if item.strip()]
