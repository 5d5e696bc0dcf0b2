"""Point in polygon: offers, needs and facilities that come with coordinates but no social space get the smallest
space whose area contains the point.

The placement is derived data, so it is marked (`sg:placementDerived true` on the entity, `prov:wasDerivedFrom`
the space graphs on the graph version) and redone whenever spaces are loaded: the graphs holding derived or
pending placements are rewritten in the same all-or-nothing commit as the spaces themselves.

The boundary counts as inside (a point on the line between two districts is in both; the smaller wins, then the
deeper in the `sg:parentSpace` hierarchy, then the lower IRI), because coordinates taken from an address are
often snapped to a street, and streets are where district boundaries run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import shapely
import shapely.errors
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from sozialgraph.errors import InputError
from sozialgraph.namespaces import DCT, GEO, PROV, RDF, SG, XSD
from sozialgraph.space_closure import DERIVED_GRAPHS
from sozialgraph.sparql_values import bind
from sozialgraph.store import GraphContent, GraphInfo, GraphStore
from sozialgraph.store.graphs import VOCABULARY_GRAPH

_RQ = Path(__file__).parent / "rq"
_SPACES = (_RQ / "space-geometries.rq").read_text(encoding="utf-8")
_PARENTS = (_RQ / "space-parents.rq").read_text(encoding="utf-8")
_PLACEABLE = (_RQ / "placeable-classes.rq").read_text(encoding="utf-8")
_PLACEMENT_GRAPHS = (_RQ / "placement-graphs.rq").read_text(encoding="utf-8")
_CANDIDATE_GRAPHS = (_RQ / "placement-candidates.rq").read_text(encoding="utf-8")
_CRS84_PREFIX = re.compile(r"^\s*<(?:https?://www\.opengis\.net/def/crs/OGC/1\.3/CRS84)>\s*", re.IGNORECASE)
TRUE = Literal("true", datatype=XSD.boolean)
MAX_LISTED = 5


@dataclass(frozen=True)
class Unplaced:
    """An entity of this load with coordinates and no space: where it came from, for the error message."""

    entity: NamedNode
    lat: float
    lon: float
    file: str
    row: int | None = None
    label: str = "Eintrag"
    identifier: str = ""

    def where(self) -> str:
        if self.row is not None:
            return f"{self.file}, Zeile {self.row}, Spalten lat, lon"
        return f"{self.file}: {self.label} '{self.identifier or self.entity.value}'"


class SpaceIndex:
    """Spaces with an area, smallest first, in an STRtree: the first hit of a point is its space."""

    def __init__(self, shapes: Mapping[str, BaseGeometry], parents: Mapping[str, str]) -> None:
        depth = {iri: _depth(iri, parents) for iri in shapes}
        areas = {iri: float(shapely.area(geometry)) for iri, geometry in shapes.items()}
        self.iris = sorted(shapes, key=lambda iri: (areas[iri], -depth[iri], iri))
        self.tree = STRtree([shapes[iri] for iri in self.iris])

    def __len__(self) -> int:
        return len(self.iris)

    def place(self, lons: Sequence[float] | np.ndarray, lats: Sequence[float] | np.ndarray) -> np.ndarray:
        """Index into `iris` of the space for each point, -1 where no space contains it."""
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        # For a point, `intersects` is `covered_by`: interior or boundary.
        point_index, space_index = self.tree.query(points, predicate="intersects")
        best = np.full(len(points), len(self.iris), dtype=np.int64)
        np.minimum.at(best, point_index, space_index)
        best[best == len(self.iris)] = -1
        return best


def _depth(iri: str, parents: Mapping[str, str]) -> int:
    depth, seen = 0, {iri}
    while (iri := parents.get(iri, "")) and iri not in seen:
        seen.add(iri)
        depth += 1
    return depth


def parse_wkt(text: str) -> BaseGeometry | None:
    """A GeoSPARQL WKT literal in CRS84 (with or without the CRS IRI); None for another CRS or broken WKT."""
    body = _CRS84_PREFIX.sub("", text, count=1)
    if body.lstrip().startswith("<"):
        return None
    try:
        return shapely.from_wkt(body)
    except shapely.errors.GEOSException:
        return None


@dataclass
class _GraphScan:
    """What one graph's triples say about spaces and placeable entities."""

    shapes: dict[str, BaseGeometry] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    has_spaces: bool = False
    candidates: list[Unplaced] = field(default_factory=list)
    derived: set[NamedNode] = field(default_factory=set)


_TYPE, _HAS_GEOMETRY, _AS_WKT = RDF.type.value, GEO.hasGeometry.value, GEO.asWKT.value
_SOCIAL_SPACE, _DERIVED, _PARENT = SG.socialSpace.value, SG.placementDerived.value, SG.parentSpace.value
_IDENTIFIER, _SPACE_CLASS = DCT.identifier.value, SG.SocialSpace.value
_WATCHED = frozenset((_TYPE, _HAS_GEOMETRY, _AS_WKT, _SOCIAL_SPACE, _DERIVED, _PARENT, _IDENTIFIER))


def _scan(triples: Iterable[Triple], placeable: Mapping[str, str], where: str) -> _GraphScan:
    """One pass over a graph's triples (strings as keys: comparing pyoxigraph terms is slow in a hot loop)."""
    interesting = set(placeable) | {_SPACE_CLASS}
    classes: dict[str, set[str]] = {}
    geometry_of: dict[str, str] = {}
    wkt_of: dict[str, str] = {}
    with_space: set[str] = set()
    derived: set[str] = set()
    identifiers: dict[str, str] = {}
    scan = _GraphScan()
    for triple in triples:
        predicate = triple.predicate.value
        if predicate not in _WATCHED:
            continue
        subject, obj = triple.subject, triple.object
        if not isinstance(subject, NamedNode):
            continue
        key = subject.value
        if predicate == _TYPE:
            if isinstance(obj, NamedNode) and obj.value in interesting:
                classes.setdefault(key, set()).add(obj.value)
        elif predicate == _HAS_GEOMETRY:
            if isinstance(obj, NamedNode):
                geometry_of[key] = obj.value
        elif predicate == _AS_WKT:
            if isinstance(obj, Literal):
                wkt_of[key] = obj.value
        elif predicate == _SOCIAL_SPACE:
            with_space.add(key)
        elif predicate == _DERIVED:
            if obj == TRUE:
                derived.add(key)
        elif predicate == _PARENT:
            if isinstance(obj, NamedNode):
                scan.parents[key] = obj.value
        elif isinstance(obj, Literal):
            identifiers[key] = obj.value
    scan.derived = {NamedNode(key) for key in derived}
    for key, found in classes.items():
        node = geometry_of.get(key)
        text = wkt_of.get(node) if node is not None else None
        if _SPACE_CLASS in found:
            scan.has_spaces = True
            geometry = parse_wkt(text) if text else None
            if geometry is not None and geometry.geom_type in ("Polygon", "MultiPolygon"):
                scan.shapes[key] = geometry
            continue
        label = next(placeable[c] for c in sorted(found) if c in placeable)
        if text is None or (key in with_space and key not in derived):
            continue
        point = parse_wkt(text)
        if point is None or point.geom_type != "Point":
            continue
        scan.candidates.append(Unplaced(NamedNode(key), point.y, point.x, where, None, label,
                                        identifiers.get(key, "")))
    return scan


class Placement:
    """Places the points of one load and re-places those of other graphs when the load changes the spaces."""

    def __init__(self, store: GraphStore, contents: Sequence[GraphContent], dropping: Iterable[str] = ()) -> None:
        self.store = store
        self.contents = list(contents)
        self.loaded = {content.name for content in contents} | set(dropping)
        self.current = [info for info in store.graphs()
                        if info.name != VOCABULARY_GRAPH and info.name not in DERIVED_GRAPHS]
        self.kept = [info for info in self.current if info.name not in self.loaded]

    def run(self, unplaced: Mapping[str, list[Unplaced]], scanned: Iterable[str],
            warnings: list[str]) -> list[GraphContent]:
        """Add placements to this load's contents; return the other graphs that had to be placed again."""
        candidates: dict[str, list[Unplaced]] = {name: list(items) for name, items in unplaced.items() if items}
        wanted = set(scanned)
        if not candidates and not wanted:
            return []
        scans = {content.name: _scan(content.triples, self.placeable, content.source or content.name)
                 for content in self.contents if content.name in wanted}
        for name, scan in scans.items():
            if scan.candidates and name not in candidates:
                candidates[name] = scan.candidates
        load_has_spaces = any(scan.has_spaces for scan in scans.values())
        if not candidates and not load_has_spaces:
            return []
        shapes, geometry_graphs, replaced_spaces = self._store_spaces()
        parents = self._store_parents()
        for name, scan in scans.items():
            parents.update(scan.parents)
            if scan.shapes:
                shapes.update(scan.shapes)
                geometry_graphs.add(name)
        again = self._graphs_to_place_again(candidates) if load_has_spaces or replaced_spaces else []
        if not candidates:
            return again
        targets = {content.name: content for content in [*self.contents, *again]}
        if not shapes:
            for name, items in candidates.items():
                targets[name].provenance.append((SG.placementPending, TRUE))
                warnings.append(
                    f"{items[0].file}: {len(items)} Einträge mit Koordinaten, aber ohne Sozialraum bleiben vorerst "
                    "ohne Raum, weil kein geladener Raum eine Fläche hat. Sie werden zugeordnet, sobald Räume mit "
                    "Flächen (GeoJSON) geladen sind.")
            return again
        self._place(SpaceIndex(shapes, parents), candidates, targets, sorted(geometry_graphs))
        return again

    # --- what is already in the store ------------------------------------------------------------------------
    @cached_property
    def placeable(self) -> dict[str, str]:
        """Classes that get a derived social space, with their German name, as the ontology declares them."""
        rows = self.store.select(_PLACEABLE).rows
        return {_text(row["class"]): (_text(row["label"]) if "label" in row else "Eintrag") for row in rows}

    def _store_spaces(self) -> tuple[dict[str, BaseGeometry], set[str], bool]:
        """Areas of the spaces in graphs this load keeps, their graphs, and whether the load replaces any."""
        if not self.current:
            return {}, set(), False
        by_version = {info.version.value: info for info in self.current}
        rows = self.store.backend.select(_SPACES, [info.version for info in self.current]).rows
        shapes: dict[str, BaseGeometry] = {}
        graphs: set[str] = set()
        replaced = False
        for row in rows:
            info = by_version.get(_text(row["graph"]))
            if info is None:
                continue
            if info.name in self.loaded:
                replaced = True
                continue
            geometry = parse_wkt(_text(row["wkt"]))
            if geometry is not None and geometry.geom_type in ("Polygon", "MultiPolygon"):
                shapes[_text(row["space"])] = geometry
                graphs.add(info.name)
        return shapes, graphs, replaced

    def _store_parents(self) -> dict[str, str]:
        if not self.kept:
            return {}
        rows = self.store.backend.select(_PARENTS, [info.version for info in self.kept]).rows
        return {_text(row["space"]): _text(row["parent"]) for row in rows}

    def _graphs_to_place_again(self, candidates: dict[str, list[Unplaced]]) -> list[GraphContent]:
        rows = self.store.backend.select(_PLACEMENT_GRAPHS, [self.store.meta_graph]).rows
        versions = {_text(row["version"]) for row in rows}
        if self.kept and self.placeable:
            query = bind(_CANDIDATE_GRAPHS, [{"class": NamedNode(iri)} for iri in sorted(self.placeable)])
            rows = self.store.backend.select(query, [info.version for info in self.kept]).rows
            versions |= {_text(row["graph"]) for row in rows}
        again: list[GraphContent] = []
        for info in self.kept:
            if info.version.value not in versions:
                continue
            triples = list(self.store.backend.graph_triples(info.version))
            scan = _scan(triples, self.placeable, info.source or info.name)
            if not scan.candidates:
                continue
            kept_triples = [t for t in triples if not (t.subject in scan.derived and t.predicate in (
                SG.socialSpace, SG.placementDerived))]
            again.append(_copy(info, kept_triples))
            candidates[info.name] = scan.candidates
        return again

    # --- placing -----------------------------------------------------------------------------------------------
    def _place(self, index: SpaceIndex, candidates: Mapping[str, list[Unplaced]],
               targets: Mapping[str, GraphContent], geometry_graphs: list[str]) -> None:
        items = [(name, item) for name, group in candidates.items() for item in group]
        found = index.place([item.lon for _, item in items], [item.lat for _, item in items])
        outside = [(name, item) for (name, item), position in zip(items, found, strict=True) if position < 0]
        if outside:
            name, first = outside[0]
            more = f" (und {len(outside) - 1} weitere)" if len(outside) > 1 else ""
            earlier = (" mit den neu geladenen Räumen; der Eintrag stammt aus einer früheren Ladung"
                       if name not in self.loaded else "")
            raise InputError(
                first.where(),
                f"der Punkt (lat {first.lat}, lon {first.lon}) liegt in keinem der {len(index)} Räume mit Fläche"
                f"{earlier}{more}; Koordinaten prüfen oder social_space angeben. Nichts wurde gespeichert")
        derivation = [(PROV.wasDerivedFrom, self.store.graph_iri(name)) for name in geometry_graphs]
        for (name, item), position in zip(items, found, strict=True):
            triples = targets[name].triples
            triples.append(Triple(item.entity, SG.socialSpace, NamedNode(index.iris[position])))
            triples.append(Triple(item.entity, SG.placementDerived, TRUE))
        for name in candidates:
            targets[name].provenance.extend(derivation)


def _text(term: object) -> str:
    return term.value if isinstance(term, NamedNode | Literal | BlankNode) else str(term)


def _copy(info: GraphInfo, triples: list[Triple]) -> GraphContent:
    return GraphContent(info.name, triples, file_name=info.file_name, source=info.source, sha256=info.sha256,
                        loader=info.loader or "sozialgraph", internal=info.internal)
