"""A deterministic synthetic inventory at city, state or nation scale, for benchmarks and load tests.

    python bench/generate.py --scale state --out /tmp/sg-state [--seed 42] [--incomplete 0.05]

writes the planners' CSV tables into DIR (loadable with `sozialgraph load DIR`) and one N-Triples file,
`DIR/rdf/inventory.nt`, with exactly the triples our loaders make of those tables. The rows are fed in chunks
through `loaders.convert.TableConverter` (the converter `load` uses) while they are written, so the two outputs
cannot drift apart and memory stays flat even at nation scale.

The inventory has the shape planners know: a few big cities with many spaces and offers, small rural
municipalities whose spaces are often empty, kommune > sozialraum > stadtteil nesting, departments (one of them
a silo in some municipalities), providers, committees and networks with members, plans with reporting duties,
measures, participation events, needs, indicator series per space, and a chosen share of deliberately incomplete
records (a required value left out), which the SHACL check is meant to find. Codes come from ontology/codes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pyoxigraph import RdfFormat, serialize

from loaders.convert import Converted, TableConverter
from loaders.spreadsheets import RawTable
from loaders.tables import TABLES
from sozialgraph.config import DEFAULT_BASE_URI, normalise_base
from sozialgraph.vocabulary import code_list


@dataclass(frozen=True)
class Scale:
    municipalities: int
    spaces: int
    offers: int
    periods: int
    """Years of indicator series per space (the bulk of triples besides offers)."""


SCALES: dict[str, Scale] = {
    "city": Scale(municipalities=1, spaces=50, offers=400, periods=10),
    "state": Scale(municipalities=23, spaces=1_000, offers=20_000, periods=14),
    "nation": Scale(municipalities=400, spaces=20_000, offers=400_000, periods=3),
}
REFERENCE_DAY = dt.date(2025, 1, 1)
"""Dates are drawn around a fixed day, not today, so the same seed gives the same files on any day."""
CHUNK = 5_000
NTRIPLES = Path("rdf") / "inventory.nt"

_DEPARTMENTS = (
    ("ob-buero", "Büro des Oberbürgermeisters"),
    ("amt-soziales", "Amt für Soziales"),
    ("jugendamt", "Jugendamt"),
    ("abt-statistik", "Abteilung Statistik und Wahlen"),
    ("gesundheitsamt", "Gesundheitsamt"),
    ("amt-stadtentwicklung", "Amt für Stadtentwicklung"),
    ("lsz-koordinierung", "Koordinierungsstelle LSZ"),
)
_PROVIDER_KINDS = ("AWO", "Caritas", "Diakonie", "DRK", "Paritätischer", "Volkssolidarität", "Lebenshilfe",
                   "Familienverein", "Stadtteilverein", "Kinderschutzbund", "Internationaler Bund", "Initiative")
_SYLLABLES = ("Alt", "Neu", "Berg", "Tal", "Wald", "Bach", "Stein", "Feld", "Hain", "Mühl", "Ober", "Unter",
              "Kirch", "Lind", "Rosen", "Eich", "Buch", "Wies", "Sonn", "Brunn")
_ENDINGS = ("stadt", "heim", "dorf", "hausen", "feld", "burg", "au", "rode", "ingen", "bach", "leben", "berg")
_QUARTERS = ("Mitte", "Nord", "Süd", "Ost", "West", "Altstadt", "Vorstadt", "Siedlung", "Neubaugebiet", "Au",
             "Höhe", "Hof", "Anger", "Aue", "Feld")
_STREETS = ("Musterstraße", "Beispielweg", "Am Probeplatz", "Lindenallee", "Schulstraße", "Gartenweg",
            "Marktplatz", "Bahnhofstraße", "Kirchgasse", "Am Anger")


@dataclass
class Space:
    id: str
    name: str
    level: str
    parent: str
    weight: float = 0.0
    population: int = 0
    children: list[Space] = field(default_factory=list)


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    incomplete: int = 0
    seconds: float = 0.0


class TableSink:
    """One CSV file plus the chunked conversion of its rows into N-Triples."""

    def __init__(self, name: str, folder: Path, converter: TableConverter | None, ntriples: IO[bytes] | None,
                 summary: Summary) -> None:
        self.table = TABLES[name]
        self.path = folder / f"{name}.csv"
        self.stream = self.path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.stream, lineterminator="\n")
        self.writer.writerow(self.table.column_names)
        self.converter = converter
        self.ntriples = ntriples
        self.summary = summary
        self.buffer: list[tuple[int, dict[str, str]]] = []
        self.line = 1

    def add(self, **values: object) -> None:
        row = {name: _cell(values.get(name)) for name in self.table.column_names}
        unknown = set(values) - set(row)
        if unknown:
            raise KeyError(f"{self.table.name}: unknown columns {sorted(unknown)}")
        self.writer.writerow(row.values())
        self.line += 1
        self.summary.rows[self.table.name] = self.summary.rows.get(self.table.name, 0) + 1
        if self.converter is not None:
            self.buffer.append((self.line, row))
            if len(self.buffer) >= CHUNK:
                self.flush()

    def flush(self) -> None:
        if not self.buffer or self.converter is None or self.ntriples is None:
            return
        raw = RawTable(self.path.name, self.table, self.table.column_names, self.buffer, ";")
        converted = Converted()
        self.converter.convert(raw, converted)
        for triples in (converted.public, converted.internal):
            blocks = triples.blocks()
            if blocks is None:
                serialize(triples, self.ntriples, RdfFormat.N_TRIPLES)
            else:
                self.ntriples.writelines(blocks)
            self.summary.triples += len(triples)
        self.buffer = []

    def close(self) -> None:
        self.flush()
        self.stream.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


class Generator:
    def __init__(self, scale: Scale, seed: int, incomplete: float) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.incomplete = incomplete
        self.fields = list(code_list("field-of-action").codes)
        self.groups = list(code_list("target-group").codes)
        self.offer_types = list(code_list("offer-type").codes)
        self.programmes = list(code_list("funding-programme").codes)
        self.plan_kinds = list(code_list("plan-kind").codes)
        self.plan_statuses = list(code_list("plan-status").codes)
        self.formats = list(code_list("participation-format").codes)
        self.measure_statuses = list(code_list("measure-status").codes)
        self.indicators = list(code_list("indicator").codes)
        self.type_labels = {code: item.label_de for code, item in code_list("offer-type").codes.items()}
        self.field_weights = _zipf(len(self.fields), 0.6, self.rng)
        self.group_weights = _zipf(len(self.groups), 0.8, self.rng)
        self.type_weights = _zipf(len(self.offer_types), 0.7, self.rng)
        self.sinks: dict[str, TableSink] = {}
        self.summary = Summary()

    # --- helpers ---------------------------------------------------------------------------------------------
    def skip(self) -> bool:
        """Whether this record is one of the deliberately incomplete ones."""
        if self.rng.random() < self.incomplete:
            self.summary.incomplete += 1
            return True
        return False

    def groups_sample(self, most: int) -> list[str]:
        count = self.rng.randint(1, most)
        chosen: list[str] = []
        while len(chosen) < count:
            group = self.rng.choices(self.groups, self.group_weights)[0]
            if group not in chosen:
                chosen.append(group)
        return chosen

    def fields_sample(self, most: int) -> list[str]:
        return sorted(self.rng.sample(self.fields, self.rng.randint(1, most)))

    def day(self, first_year: int, last_year: int) -> str:
        start = dt.date(first_year, 1, 1).toordinal()
        end = dt.date(last_year, 12, 31).toordinal()
        return dt.date.fromordinal(self.rng.randint(start, end)).isoformat()

    def place_name(self) -> str:
        return self.rng.choice(_SYLLABLES) + self.rng.choice(_ENDINGS)

    # --- the inventory ---------------------------------------------------------------------------------------
    def run(self, out: Path, converter: TableConverter | None, ntriples: IO[bytes] | None) -> Summary:
        for name in TABLES:
            self.sinks[name] = TableSink(name, out, converter, ntriples, self.summary)
        try:
            weights = [1 / (rank + 1) for rank in range(self.scale.municipalities)]
            space_shares = _shares([w ** 0.8 for w in weights], self.scale.spaces, minimum=4)
            offer_shares = _shares([w ** 1.15 for w in weights], self.scale.offers, minimum=3)
            for index in range(self.scale.municipalities):
                self.municipality(index, space_shares[index], offer_shares[index], weights[index])
        finally:
            for sink in self.sinks.values():
                sink.close()
        return self.summary

    def municipality(self, index: int, space_count: int, offer_count: int, weight: float) -> None:
        prefix = f"m{index + 1:03d}"
        name = self.place_name() if index else "Großstadt"
        population = max(4_000, int(600_000 * weight * self.rng.uniform(0.8, 1.2)))
        kommune = self.spaces(prefix, name, space_count, population)
        departments, providers = self.actors(prefix, name, space_count, offer_count)
        self.plans(prefix, kommune, departments)
        self.offers(prefix, name, kommune, providers, offer_count)
        self.indicators_for(kommune)
        events = self.participation(prefix, kommune)
        self.needs(prefix, kommune, events)

    def spaces(self, prefix: str, name: str, count: int, population: int) -> Space:
        sink = self.sinks["spaces"]
        kommune = Space(prefix, name, "kommune", "")
        sink.add(id=kommune.id, name=name, level="kommune", code=f"{16_000_000 + int(prefix[1:]) * 1000}")
        quarters = count - 1
        regions = max(1, round(math.sqrt(quarters) * 0.9))
        quarters -= regions
        # Small municipalities are rural: more of their districts have no offer at all.
        empty_share = 0.1 if count > 40 else 0.4
        for r in range(regions):
            region = Space(f"{prefix}-sr-{r + 1:02d}", f"{name} Sozialraum {_QUARTERS[r % len(_QUARTERS)]}"
                           + (f" {r // len(_QUARTERS) + 1}" if r >= len(_QUARTERS) else ""), "sozialraum",
                           kommune.id, weight=self.rng.uniform(0.2, 1.0))
            kommune.children.append(region)
            sink.add(id=region.id, name=region.name, level="sozialraum", parent=kommune.id, code=f"{r + 1}0")
        for q in range(quarters):
            region = kommune.children[q % regions]
            number = len(region.children) + 1
            quarter = Space(f"{region.id}-st-{number:02d}", f"{self.place_name()} ({name})", "stadtteil",
                            region.id, weight=0.0 if self.rng.random() < empty_share else self.rng.paretovariate(1.3))
            region.children.append(quarter)
            sink.add(id=quarter.id, name=quarter.name, level="stadtteil", parent=region.id,
                     code=f"{region.id[-2:]}{number:02d}")
        districts = [quarter for region in kommune.children for quarter in region.children] or kommune.children
        shares = [self.rng.uniform(0.3, 1.7) for _ in districts]
        total = sum(shares)
        for district, share in zip(districts, shares, strict=True):
            district.population = max(50, int(population * share / total))
        for region in kommune.children:
            if region.children:
                region.population = sum(child.population for child in region.children)
        kommune.population = sum(region.population for region in kommune.children)
        return kommune

    def actors(self, prefix: str, name: str, space_count: int,
               offer_count: int) -> tuple[list[str], list[str]]:
        sink = self.sinks["actors"]
        city = f"{prefix}-stadt"
        sink.add(id=city, name=f"Stadt {name}", kind="municipality")
        wanted = _DEPARTMENTS if space_count > 10 else _DEPARTMENTS[:4]
        departments = [f"{prefix}-{key}" for key, _ in wanted]
        for (key, label), department in zip(wanted, departments, strict=True):
            sink.add(id=department, name=f"{label} {name}" if not self.skip() else "", kind="department",
                     parent=city if key != "lsz-koordinierung" else f"{prefix}-amt-soziales")
        sink.add(id=f"{prefix}-jobcenter", name=f"Jobcenter {name}", kind="external")
        providers = [f"{prefix}-tr-{k + 1:04d}" for k in range(max(3, offer_count // 8))]
        for k, provider in enumerate(providers):
            sink.add(id=provider, name=f"{_PROVIDER_KINDS[k % len(_PROVIDER_KINDS)]} {name} {k + 1}",
                     kind="provider")
        liga = providers[: min(40, len(providers))]
        sink.add(id=f"{prefix}-liga", name=f"Liga der freien Wohlfahrtspflege {name}", kind="network",
                 members=liga)
        # In every other municipality the statistics office sits in no committee: a silo to find.
        silo = f"{prefix}-abt-statistik" if int(prefix[1:]) % 2 == 1 else ""
        connected = [d for d in departments if d != silo]
        social = [d for d in departments if d.endswith(("amt-soziales", "jugendamt", "lsz-koordinierung"))]
        committees = [
            ("stadtrat", "Stadtrat", [departments[0], *social[:1]]),
            ("jugendhilfeausschuss", "Jugendhilfeausschuss",
             [d for d in departments if d.endswith("jugendamt")] + providers[:3] + [f"{prefix}-liga"]),
            ("sozialausschuss", "Ausschuss für Soziales", social[:2] + providers[3:5]),
            ("steuerungsgremium", "Steuerungsgremium LSZ", connected),
        ]
        for key, label, members in committees:
            sink.add(id=f"{prefix}-{key}", name=f"{label} {name}", kind="committee", parent=city,
                     members=members)
        sink.add(id=f"{prefix}-buendnis-familie", name=f"Bündnis für Familie {name}", kind="network",
                 members=[departments[0], f"{prefix}-jobcenter", f"{prefix}-liga"])
        return departments, providers

    def plans(self, prefix: str, kommune: Space, departments: list[str]) -> list[str]:
        sink = self.sinks["plans"]
        regions = kommune.children
        count = 4 + round(math.sqrt(len(regions) * 8))
        plans: list[str] = []
        for k in range(count):
            plan = f"{prefix}-plan-{k + 1:03d}"
            plans.append(plan)
            kind = self.rng.choice(self.plan_kinds)
            decided = self.rng.random() < 0.6
            decision_date = self.day(2012, 2024) if decided else ""
            interval = self.rng.choice((12, 24)) if decided and self.rng.random() < 0.5 else ""
            last_report = self.day(2020, 2024) if interval and self.rng.random() < 0.6 else ""
            scope_spaces = [kommune.id] if self.rng.random() < 0.7 else sorted(
                region.id for region in self.rng.sample(regions, self.rng.randint(1, min(3, len(regions)))))
            values: dict[str, object] = {
                "id": plan, "title": f"{kind.capitalize()} {k + 1} {kommune.name}", "kind": kind,
                "department": self.rng.choice(departments), "issued": self.day(2010, 2024),
                "status": self.rng.choice(self.plan_statuses), "fields_of_action": self.fields_sample(3),
                "target_groups": sorted(self.groups_sample(4)), "social_spaces": scope_spaces,
                "decision_number": f"{self.rng.randint(100, 3999):04d}/{self.rng.randint(12, 24)}" if decided else "",
                "decision_date": decision_date, "decision_body": f"{prefix}-stadtrat" if decided else "",
                "reporting_interval_months": interval, "last_report_date": last_report,
                "url": f"https://ratsinfo.example/{prefix}/{plan}" if self.rng.random() < 0.3 else "",
            }
            if self.skip():
                if self.rng.random() < 0.5:
                    values["department"] = ""
                else:
                    values.update(fields_of_action="", target_groups="", social_spaces="")
            sink.add(**values)
            self.measures(prefix, plan, kommune, values, departments)
        return plans

    def measures(self, prefix: str, plan: str, kommune: Space, values: dict[str, object],
                 departments: list[str]) -> None:
        sink = self.sinks["measures"]
        for k in range(self.rng.randint(0, 4)):
            status = self.rng.choice(self.measure_statuses)
            spaces = values["social_spaces"] or [kommune.id]
            sink.add(
                id=f"{plan}-m{k + 1}", title=f"Maßnahme {k + 1} zu {values['title']}", plan=plan,
                responsible=self.rng.choice(departments), fields_of_action=self.fields_sample(2),
                target_groups=sorted(self.groups_sample(2)) if self.rng.random() < 0.7 else "",
                social_spaces=spaces, status="" if self.skip() else status,
                due_date=self.day(2019, 2028) if self.rng.random() < 0.85 else "",
                cost_eur=self.rng.randrange(5_000, 500_000, 500) if self.rng.random() < 0.4 else "",
                decision_number=values["decision_number"],
                access="internal" if self.rng.random() < 0.03 else "",
                description="Synthetisch erzeugte Maßnahme.",
            )

    def offers(self, prefix: str, name: str, kommune: Space, providers: list[str], count: int) -> None:
        sink = self.sinks["offers"]
        regions = kommune.children
        districts = [quarter for region in regions for quarter in region.children]
        targets: list[Space] = [*districts, *regions, kommune]
        weights = [d.weight for d in districts]
        total = sum(weights) or 1.0
        # 85 % of offers in a district (by its pull), 12 % for a whole sozialraum, 3 % city-wide.
        weights = [0.85 * w / total for w in weights] + [0.12 * r.weight / sum(x.weight for x in regions)
                                                          for r in regions] + [0.03]
        cumulative = _cumulative(weights)
        provider_cumulative = _cumulative(_zipf(len(providers), 1.0, self.rng))
        centre = (50.0 + self.rng.uniform(0, 4), 8.0 + self.rng.uniform(0, 6))
        for k in range(count):
            space = self.rng.choices(targets, cum_weights=cumulative)[0]
            offer_type = self.rng.choices(self.offer_types, self.type_weights)[0]
            has_point = self.rng.random() < 0.3
            values: dict[str, object] = {
                "id": f"{prefix}-of-{k + 1:06d}",
                "name": f"{self.type_labels[offer_type]} {space.name.split(' (')[0]} {k + 1}",
                "offer_type": offer_type,
                "provider": self.rng.choices(providers, cum_weights=provider_cumulative)[0],
                "field_of_action": self.rng.choices(self.fields, self.field_weights)[0],
                "target_groups": self.groups_sample(3),
                "social_space": space.id,
                "address": f"{self.rng.choice(_STREETS)} {self.rng.randint(1, 120)}, {name}",
                "lat": f"{centre[0] + self.rng.uniform(-0.1, 0.1):.5f}" if has_point else "",
                "lon": f"{centre[1] + self.rng.uniform(-0.1, 0.1):.5f}" if has_point else "",
                "funding_programme": self.rng.choice(self.programmes) if self.rng.random() < 0.8 else "",
                "start_date": self.day(2005, 2024),
                "end_date": self.day(2025, 2030) if self.rng.random() < 0.5 else "",
                "access": "internal" if self.rng.random() < 0.01 else "",
                "description": "Synthetisch erzeugtes Angebot.",
            }
            if self.skip():
                missing = self.rng.choice(("offer_type", "provider", "target_groups", "field_of_action",
                                           "social_space"))
                values[missing] = ""
                if missing == "social_space":
                    values.update(lat="", lon="")
            sink.add(**values)

    def indicators_for(self, kommune: Space) -> None:
        sink = self.sinks["indicators"]
        spaces = [kommune, *kommune.children, *(q for r in kommune.children for q in r.children)]
        last = REFERENCE_DAY.year - 1
        years = range(last - self.scale.periods + 1, last + 1)
        for space in spaces:
            poverty = self.rng.uniform(3, 25)
            for year in years:
                drift = 1 + (year - last) * 0.004
                people = int(space.population * drift)
                values = {
                    "einwohner": people,
                    "einwohner-unter-18": int(people * 0.16),
                    "einwohner-65plus": int(people * 0.26),
                    "sgb2-quote": round(poverty * drift, 1),
                    "kinderarmut-quote": round(poverty * 1.4 * drift, 1),
                    "alleinerziehende-anteil": round(poverty * 0.9 + 10, 1),
                    "arbeitslosen-quote": round(poverty * 0.5 + 2, 1),
                    "auslaender-anteil": round(poverty * 0.6 + 3, 1),
                }
                for indicator in self.indicators:
                    value: object = values.get(indicator, round(poverty, 1))
                    sink.add(social_space=space.id, indicator=indicator, period=str(year),
                             value="" if self.skip() else value)

    def participation(self, prefix: str, kommune: Space) -> list[str]:
        sink = self.sinks["participation"]
        titles: list[str] = []
        places = [kommune, kommune, *kommune.children]
        for k, space in enumerate(places):
            for n in range(self.rng.randint(1, 2)):
                fmt = self.rng.choice(self.formats)
                title = f"{code_list('participation-format').codes[fmt].label_de} {space.name} {n + 1}"
                titles.append(title)
                sink.add(id=f"{prefix}-pa-{k + 1:03d}-{n + 1}", title=title, format=fmt,
                         date="" if self.skip() else self.day(2018, 2024), social_spaces=[space.id],
                         target_groups=sorted(self.groups_sample(3)))
        return titles

    def needs(self, prefix: str, kommune: Space, events: Sequence[str]) -> None:
        sink = self.sinks["needs"]
        spaces = [*kommune.children, *(q for r in kommune.children for q in r.children)]
        number = 0
        for space in spaces:
            for _ in range(self.rng.choice((0, 0, 1, 2, 3, 5))):
                number += 1
                values: dict[str, object] = {
                    "id": f"{prefix}-ne-{number:05d}", "social_space": space.id,
                    "target_group": self.rng.choices(self.groups, self.group_weights)[0],
                    "field_of_action": self.rng.choices(self.fields, self.field_weights)[0],
                    "source": self.rng.choice(events), "description": "Synthetisch erzeugter Bedarf.",
                    "date": self.day(2018, 2024),
                }
                if self.skip():
                    values[self.rng.choice(("target_group", "field_of_action"))] = ""
                sink.add(**values)


def _zipf(count: int, exponent: float, rng: random.Random) -> list[float]:
    weights = [1 / (rank + 1) ** exponent for rank in range(count)]
    rng.shuffle(weights)
    return weights


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = 0.0
    result = []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def _shares(weights: Sequence[float], total: int, minimum: int) -> list[int]:
    scale = sum(weights)
    return [max(minimum, round(total * weight / scale)) for weight in weights]


def generate(scale: str, out: Path, seed: int = 42, incomplete: float = 0.05, ntriples: bool = True,
             base_uri: str = DEFAULT_BASE_URI, factor: float = 1.0) -> Summary:
    """Write the tables (and N-Triples) of one synthetic inventory into `out`; returns what was written. `factor`
    multiplies the municipalities, spaces and offers (and so every other entry) and keeps the indicator years:
    the same make-up, `factor` times as large, to see whether an operation grows linearly."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; allowed: {', '.join(SCALES)}")
    if not 0 <= incomplete <= 1:
        raise ValueError("--incomplete must be between 0 and 1")
    if not 0 < factor <= 100:
        raise ValueError("--factor must be above 0 and at most 100")
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    base = SCALES[scale]
    chosen = Scale(max(1, round(base.municipalities * factor)), max(1, round(base.spaces * factor)),
                   max(1, round(base.offers * factor)), base.periods)
    generator = Generator(chosen, seed, incomplete)
    if not ntriples:
        summary = generator.run(out, None, None)
    else:
        target = out / NTRIPLES
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as stream:
            summary = generator.run(out, TableConverter(normalise_base(base_uri)), stream)
    summary.seconds = time.perf_counter() - started
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scale", choices=sorted(SCALES), default="city")
    parser.add_argument("--out", type=Path, required=True, help="folder for the CSV tables (and rdf/inventory.nt)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--incomplete", type=float, default=0.05, help="share of deliberately incomplete records")
    parser.add_argument("--no-ntriples", action="store_true", help="only the CSV tables")
    parser.add_argument("--base-uri", default=DEFAULT_BASE_URI)
    parser.add_argument("--factor", type=float, default=1.0,
                        help="this many times the entries of the scale, with the same make-up (linearity checks)")
    args = parser.parse_args(argv)
    summary = generate(args.scale, args.out, args.seed, args.incomplete, not args.no_ntriples, args.base_uri,
                       args.factor)
    rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    print(f"{args.scale}: {rows}; {summary.incomplete} deliberately incomplete records")
    if not args.no_ntriples:
        print(f"{summary.triples} triples in {args.out / NTRIPLES}")
    print(f"written in {summary.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
