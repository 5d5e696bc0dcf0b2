"""The example's spaces (data/erfurt/spaces.geojson): nested areas, and the coordinate-only offers land where the
data folder's README says."""

from __future__ import annotations

import itertools

import shapely
from shapely.geometry.base import BaseGeometry

from sozialgraph.store import GraphStore

PREFIXES = ("PREFIX sg: <https://w3id.org/sozialgraph/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
            "PREFIX geo: <http://www.opengis.net/ont/geosparql#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")


def areas(store: GraphStore) -> tuple[dict[str, BaseGeometry], dict[str, str], dict[str, str]]:
    rows = store.select(PREFIXES + """SELECT ?id ?wkt ?level ?parent WHERE {
        ?s a sg:SocialSpace ; dct:identifier ?id ; geo:hasGeometry/geo:asWKT ?wkt ; sg:spaceLevel/skos:notation ?level .
        OPTIONAL { ?s sg:parentSpace/dct:identifier ?parent } }""").rows
    shapes = {r["id"].value: shapely.from_wkt(r["wkt"].value) for r in rows}
    levels = {r["id"].value: r["level"].value for r in rows}
    parents = {r["id"].value: r["parent"].value for r in rows if "parent" in r}
    return shapes, levels, parents


def test_coordinate_only_offers_land_in_the_district_the_readme_names(erfurt_store: GraphStore) -> None:
    rows = erfurt_store.select(PREFIXES + """SELECT ?offer ?space WHERE {
        ?o a sg:Offer ; dct:identifier ?offer ; sg:placementDerived true ;
           sg:socialSpace/dct:identifier ?space }""").rows
    assert {r["offer"].value: r["space"].value for r in rows} == {
        "of-jugendhaus-altstadt": "st-altstadt",
        "of-spielmobil-nord": "st-berliner-platz",
        "of-spielmobil-west": "st-marbach",
        "of-jugendhaus-wiesenhuegel": "st-wiesenhuegel",
    }


def test_every_space_has_an_area_and_districts_tile_their_social_space(erfurt_store: GraphStore) -> None:
    shapes, levels, parents = areas(erfurt_store)
    assert len(shapes) == 37 and sorted(set(levels.values())) == ["kommune", "sozialraum", "stadtteil"]
    for parent in (p for p, level in levels.items() if level != "stadtteil"):
        children = [shapes[c] for c, p in parents.items() if p == parent]
        assert children, parent
        union = shapely.union_all(children)
        assert union.symmetric_difference(shapes[parent]).area < 1e-9, parent  # tile: no gap, nothing outside
        for first, second in itertools.combinations(children, 2):
            assert first.intersection(second).area < 1e-12, parent  # and no overlap
