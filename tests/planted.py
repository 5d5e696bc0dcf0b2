"""A seeded inventory graph with planted errors of every kind the shapes check, for engine comparisons.

Not the benchmark generator (bench/generate.py writes realistic inventories): this one aims at the corners where
two SHACL engines could disagree — missing, doubled and wrong values, references to the wrong class, literals
that are ill-typed or typed differently, literals where IRIs belong, blank nodes, facts split over graphs.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse
from rdflib import Graph
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parents[1]
ID = "https://sozialgraph.example/id/"
SG = "https://w3id.org/sozialgraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
P = {
    "a": "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "id": "http://purl.org/dc/terms/identifier",
    "label": "http://www.w3.org/2000/01/rdf-schema#label",
    "desc": "http://purl.org/dc/terms/description",
    "date": "http://purl.org/dc/terms/date",
    "issued": "http://purl.org/dc/terms/issued",
    "sub": "http://www.w3.org/ns/org#subOrganizationOf",
    "member": "http://www.w3.org/ns/org#hasMember",
    "geom": "http://www.opengis.net/ont/geosparql#hasGeometry",
    "wkt": "http://www.opengis.net/ont/geosparql#asWKT",
    "start": "http://schema.org/startDate",
    "end": "http://schema.org/endDate",
    "address": "http://schema.org/address",
    "page": "http://xmlns.com/foaf/0.1/page",
    "obs": "http://purl.org/linked-data/cube#Observation",
}
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
ACTOR_CLASSES = ["Provider", "Department", "Committee", "Network", "Municipality", "ExternalBody", "Actor"]

# Odd literals: well-formed, ill-typed, typed otherwise, with a language, or not literals at all.
ODD_DATES = [
    '"2023-02-29"^^<{x}date>', '"2024-02-29"^^<{x}date>', '"2023-04-31"^^<{x}date>', '"2023-1-5"^^<{x}date>',
    '"20230105"^^<{x}date>', '"2023-01-05Z"^^<{x}date>', '"0999-12-31"^^<{x}date>', '"12023-01-01"^^<{x}date>',
    '"2023-01-05"', '"2023-01-05"@de', '"2023-01-05T10:00:00"^^<{x}dateTime>', f"<{ID}not-a-date>",
]  # fmt: skip
ODD_DECIMALS = [
    '"1,5"^^<{x}decimal>', '"1e3"^^<{x}decimal>', '"-3.5"^^<{x}decimal>', '"-0.0"^^<{x}decimal>',
    '"5"^^<{x}integer>', '"7.25"', '"12345678901234567890.5"^^<{x}decimal>', '"NaN"^^<{x}double>',
    '"0.5"^^<{x}double>', '"abc"^^<{x}decimal>', '"3"@de', '"-1"^^<{x}integer>', f"<{ID}not-a-number>",
]  # fmt: skip
ODD_INTEGERS = [
    '"0"^^<{x}integer>', '"-2"^^<{x}integer>', '"1.0"^^<{x}integer>', '" 3"^^<{x}integer>',
    '"12"', '"3.0"^^<{x}decimal>', '"0.5"^^<{x}decimal>', '"4"^^<{x}int>', '"x"^^<{x}integer>',
    '"99999999999999999999"^^<{x}integer>', '"2"^^<{x}double>',
]  # fmt: skip
ODD_STRINGS = ['"kg"@de', '"1"^^<{x}integer>', f"<{ID}unit>", '"Stück"']


class Builder:
    def __init__(self, seed: int, size: int, error_rate: float) -> None:
        self.random = random.Random(seed)
        self.size = size
        self.error_rate = error_rate
        self.lines: list[str] = []
        self.codes = _codes()
        self.spaces: list[str] = []
        self.actors: list[str] = []
        self.plans: list[str] = []
        self.blank = 0

    # --- values ------------------------------------------------------------------------------------------
    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.append(f"{subject} <{predicate}> {obj} .")

    def chance(self, factor: float = 1.0) -> bool:
        return self.random.random() < self.error_rate * factor

    def code(self, scheme: str) -> str:
        if self.chance(0.5):
            other = self.random.choice(sorted(self.codes))
            return self.random.choice([f"<{self.random.choice(self.codes[other])}>", f"<{ID}code/unknown>",
                                       f'"{scheme}"', "<https://w3id.org/sozialgraph/ontology#Offer>"])
        return f"<{self.random.choice(self.codes[scheme])}>"

    def ref(self, pool: list[str]) -> str:
        if self.chance(0.5) or not pool:
            return self.random.choice([f"<{ID}ghost/{self.random.randrange(9)}>", '"p-1"',
                                       f"<{self.random.choice(self.codes['access'])}>", *(self.plans[:1])])
        return self.random.choice(pool)

    def literal(self, kind: str) -> str:
        x = XSD
        odd = {"date": ODD_DATES, "decimal": ODD_DECIMALS, "integer": ODD_INTEGERS, "string": ODD_STRINGS}[kind]
        if self.chance():
            return self.random.choice(odd).replace("{x}", x)
        r = self.random
        return {
            "date": f'"{r.randrange(1990, 2030)}-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}"^^<{x}date>',
            "decimal": f'"{r.randrange(0, 100000) / 100}"^^<{x}decimal>',
            "integer": f'"{r.randrange(1, 48)}"^^<{x}integer>',
            "string": '"Personen"',
        }[kind]

    def fact(self, subject: str, predicate: str, make: Callable[[], str], required: bool = True,
             many: bool = False) -> None:
        """One column: sometimes missing, sometimes doubled (with a second, different value)."""
        if self.chance(1.0 if required else 2.0):
            return
        self.add(subject, predicate, make())
        if many or self.chance(0.6):
            self.add(subject, predicate, make())

    # --- entities ----------------------------------------------------------------------------------------
    def build(self) -> list[str]:
        r, n = self.random, self.size
        for index in range(max(4, n // 4)):
            space = f"<{ID}space/s{index}>"
            self.spaces.append(space)
        for index, space in enumerate(self.spaces):
            self.add(space, P["a"], f"<{SG}SocialSpace>")
            self.fact(space, P["id"], lambda i=index: f'"s{i}"')
            self.fact(space, P["label"], lambda i=index: f'"Raum {i}"@de')
            self.fact(space, f"{SG}spaceLevel", lambda: self.code("space-level"))
            if index:
                self.fact(space, f"{SG}parentSpace", lambda: self.ref(self.spaces[:1] + self.spaces[1:3]))
            if r.random() < 0.5:
                geometry = self._node(f"geometry/s{index}")
                self.add(space, P["geom"], geometry)
                self.fact(geometry, P["wkt"], lambda: r.choice(
                    [f'"POINT(11 51)"^^<{WKT}>'] * 5 + ['"POINT(11 51)"', f"<{ID}wkt>"]))
        for index in range(max(6, n // 3)):
            kind = r.choice(ACTOR_CLASSES)
            actor = f"<{ID}actor/a{index}>"
            self.actors.append(actor)
            self.add(actor, P["a"], f"<{SG}{kind}>")
        for index, actor in enumerate(self.actors):
            self.fact(actor, P["id"], lambda i=index: f'"a{i}"')
            self.fact(actor, P["label"], lambda i=index: f'"Akteur {i}"')
            self.fact(actor, f"{SG}actorKind", lambda: self.code("actor-kind"))
            if r.random() < 0.3:
                self.add(actor, P["sub"], self.ref(self.actors))
            for _ in range(r.choice([0, 1, 2, 3])):
                self.add(actor, P["member"], self.ref(self.actors))
            if r.random() < 0.2:
                self.add(actor, f"{SG}access", self.code("access"))
        for index in range(max(3, n // 6)):
            plan = f"<{ID}plan/p{index}>"
            self.plans.append(plan)
            self.add(plan, P["a"], f"<{SG}Plan>")
            self.fact(plan, P["id"], lambda i=index: f'"p{i}"')
            self.fact(plan, P["label"], lambda i=index: f'"Plan {i}"')
            self.fact(plan, f"{SG}responsibleDepartment", lambda: self.ref(self.actors))
            for column, make in ((f"{SG}fieldOfAction", lambda: self.code("field-of-action")),
                                 (f"{SG}targetGroup", lambda: self.code("target-group")),
                                 (f"{SG}socialSpace", lambda: self.ref(self.spaces))):
                if r.random() < 0.6:
                    self.add(plan, column, make())
            self.fact(plan, f"{SG}planKind", lambda: self.code("plan-kind"), required=False)
            self.fact(plan, f"{SG}planStatus", lambda: self.code("plan-status"), required=False)
            self.fact(plan, P["issued"], lambda: self.literal("date"), required=False)
            self.fact(plan, f"{SG}decisionDate", lambda: self.literal("date"), required=False)
            self.fact(plan, f"{SG}decisionBody", lambda: self.ref(self.actors), required=False)
            self.fact(plan, f"{SG}reportingIntervalMonths", lambda: self.literal("integer"), required=False)
            self.fact(plan, f"{SG}lastReportDate", lambda: self.literal("date"), required=False)
            self.fact(plan, P["page"], lambda: r.choice([f"<https://example.org/p{r.randrange(9)}>",
                                                         '"https://example.org/x"']), required=False)
        for index in range(n):
            offer = f"<{ID}offer/o{index}>"
            self.add(offer, P["a"], f"<{SG}Offer>")
            if r.random() < 0.05:
                self.add(offer, P["a"], f"<{SG}Facility>")
            self.fact(offer, P["id"], lambda i=index: f'"o{i}"')
            self.fact(offer, P["label"], lambda i=index: f'"Angebot {i}"')
            self.fact(offer, f"{SG}offerType", lambda: self.code("offer-type"))
            self.fact(offer, f"{SG}provider", lambda: self.ref(self.actors))
            self.fact(offer, f"{SG}fieldOfAction", lambda: self.code("field-of-action"))
            self.fact(offer, f"{SG}targetGroup", lambda: self.code("target-group"), many=True)
            if r.random() < 0.8:
                self.fact(offer, f"{SG}socialSpace", lambda: self.ref(self.spaces))
            if r.random() < 0.3:
                geometry = self._node(f"geometry/o{index}")
                self.add(offer, P["geom"], geometry)
                self.fact(geometry, P["wkt"], lambda: f'"POINT(11 51)"^^<{WKT}>')
            self.fact(offer, f"{SG}fundingProgramme", lambda: self.code("funding-programme"), required=False)
            self.fact(offer, P["start"], lambda: self.literal("date"), required=False)
            self.fact(offer, P["end"], lambda: self.literal("date"), required=False)
            self.fact(offer, P["address"], lambda: '"Hauptstraße 1"', required=False)
            self.fact(offer, P["desc"], lambda: '"Beispiel"@de', required=False)
            if r.random() < 0.2:
                self.add(offer, f"{SG}access", self.code("access"))
        for index in range(n // 2):
            obs = f"<{ID}observation/i{index}>"
            self.add(obs, P["a"], f"<{P['obs']}>")
            self.fact(obs, f"{SG}refSpace", lambda: self.ref(self.spaces))
            self.fact(obs, f"{SG}indicator", lambda: self.code("indicator"))
            self.fact(obs, f"{SG}period", lambda: r.choice(['"2022"', '"2023"']))
            self.fact(obs, f"{SG}value", lambda: self.literal("decimal"))
        for index in range(max(2, n // 8)):
            event = f"<{ID}participation/e{index}>"
            self.add(event, P["a"], f"<{SG}ParticipationEvent>")
            self.fact(event, P["id"], lambda i=index: f'"e{i}"')
            self.fact(event, P["label"], lambda i=index: f'"Konferenz {i}"')
            self.fact(event, P["date"], lambda: self.literal("date"))
            self.fact(event, f"{SG}participationFormat", lambda: self.code("participation-format"), required=False)
            self.fact(event, f"{SG}socialSpace", lambda: self.ref(self.spaces), required=False)
            self.fact(event, f"{SG}targetGroup", lambda: self.code("target-group"), required=False)
        for index in range(max(2, n // 5)):
            need = f"<{ID}need/n{index}>"
            self.add(need, P["a"], f"<{SG}Need>")
            self.fact(need, P["id"], lambda i=index: f'"n{i}"')
            self.fact(need, f"{SG}socialSpace", lambda: self.ref(self.spaces))
            self.fact(need, f"{SG}targetGroup", lambda: self.code("target-group"))
            self.fact(need, f"{SG}fieldOfAction", lambda: self.code("field-of-action"))
            self.fact(need, P["date"], lambda: self.literal("date"), required=False)
        for index in range(max(2, n // 5)):
            measure = f"<{ID}measure/m{index}>"
            self.add(measure, P["a"], f"<{SG}Measure>")
            self.fact(measure, P["id"], lambda i=index: f'"m{i}"')
            self.fact(measure, P["label"], lambda i=index: f'"Maßnahme {i}"')
            self.fact(measure, f"{SG}measureStatus", lambda: self.code("measure-status"))
            self.fact(measure, f"{SG}plan", lambda: self.ref(self.plans), required=False)
            self.fact(measure, f"{SG}responsible", lambda: self.ref(self.actors), required=False)
            self.fact(measure, f"{SG}dueDate", lambda: self.literal("date"), required=False)
            self.fact(measure, f"{SG}costEur", lambda: self.literal("decimal"), required=False)
            self.fact(measure, f"{SG}access", lambda: self.code("access"), required=False)
        # An indicator code without a unit, one with two and one with an odd unit: IndicatorShape checks codes.
        self.add(f"<{ID}indicator/extra1>", P["a"], f"<{SG}Indicator>")
        for value in ('"Personen"', self.literal("string")):
            self.add(f"<{ID}indicator/extra2>", P["a"], f"<{SG}Indicator>")
            self.add(f"<{ID}indicator/extra2>", f"{SG}unit", value)
        self.add(f"<{ID}indicator/extra3>", P["a"], f"<{SG}Indicator>")
        self.add(f"<{ID}indicator/extra3>", f"{SG}unit", ODD_STRINGS[0])
        return self.lines

    def _node(self, name: str) -> str:
        self.blank += 1
        return f"_:g{self.blank}" if self.random.random() < 0.5 else f"<{ID}{name}>"


def _codes() -> dict[str, list[str]]:
    graph = Graph()
    for path in sorted((ROOT / "ontology" / "codes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    codes: dict[str, list[str]] = {}
    for concept, scheme in graph.subject_objects(SKOS.inScheme):
        codes.setdefault(str(scheme).rsplit("/", 1)[-1], []).append(str(concept))
    return {key: sorted(value) for key, value in codes.items()}


def planted_graphs(seed: int = 7, size: int = 200, error_rate: float = 0.08) -> dict[str, list[Triple]]:
    """Two source graphs that share some facts (the same triple loaded from two sources must count once)."""
    lines = Builder(seed, size, error_rate).build()
    shuffled = random.Random(seed).sample(lines, len(lines))
    half = len(shuffled) // 2
    first, second = shuffled[: half + len(shuffled) // 10], shuffled[half:]
    return {name: list(parse("\n".join(part).encode(), format=RdfFormat.N_TRIPLES))
            for name, part in (("planted-a", first), ("planted-b", second))}
