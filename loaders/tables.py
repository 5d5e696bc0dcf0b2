"""The planners' tables: which columns each has and what each column means in the graph.

Column names and their meaning are the input contract of DESIGN.md; the terms they map to are declared in
ontology/ (see ontology/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from pyoxigraph import NamedNode

from sozialgraph.namespaces import DCT, FOAF, ORG, QB, RDFS, SCHEMA, SG


class ValueType(Enum):
    ID = "id"
    LABEL = "label"
    TEXT = "text"
    STRING = "string"
    CODE = "code"
    CODES = "codes"
    REF = "ref"
    REFS = "refs"
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    URL = "url"
    LATITUDE = "lat"
    LONGITUDE = "lon"
    PERIOD = "period"
    ACTOR_KIND = "actor-kind"
    ACCESS = "access"


@dataclass(frozen=True)
class Column:
    name: str
    type: ValueType
    predicate: NamedNode | None = None
    target: str | None = None
    """Code scheme for CODE/CODES, entity kind for REF/REFS."""


@dataclass(frozen=True)
class Table:
    name: str
    kind: str
    rdf_class: NamedNode | None
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column | None:
        return next((column for column in self.columns if column.name == name), None)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


V = ValueType
_ID = Column("id", V.ID, DCT.identifier)
_ACCESS = Column("access", V.ACCESS, SG.access, "access")
_DESCRIPTION = Column("description", V.TEXT, DCT.description)

TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table("spaces", "space", SG.SocialSpace, (
            _ID,
            Column("name", V.LABEL, RDFS.label),
            Column("level", V.CODE, SG.spaceLevel, "space-level"),
            Column("parent", V.REF, SG.parentSpace, "space"),
            Column("code", V.STRING, SG.officialCode),
        )),
        Table("actors", "actor", None, (
            _ID,
            Column("name", V.LABEL, RDFS.label),
            Column("kind", V.ACTOR_KIND, SG.actorKind, "actor-kind"),
            Column("parent", V.REF, ORG.subOrganizationOf, "actor"),
            Column("members", V.REFS, ORG.hasMember, "actor"),
            _ACCESS,
        )),
        Table("offers", "offer", SG.Offer, (
            _ID,
            Column("name", V.LABEL, RDFS.label),
            Column("offer_type", V.CODE, SG.offerType, "offer-type"),
            Column("provider", V.REF, SG.provider, "actor"),
            Column("field_of_action", V.CODE, SG.fieldOfAction, "field-of-action"),
            Column("target_groups", V.CODES, SG.targetGroup, "target-group"),
            Column("social_space", V.REF, SG.socialSpace, "space"),
            Column("address", V.STRING, SCHEMA.address),
            Column("lat", V.LATITUDE),
            Column("lon", V.LONGITUDE),
            Column("funding_programme", V.CODE, SG.fundingProgramme, "funding-programme"),
            Column("start_date", V.DATE, SCHEMA.startDate),
            Column("end_date", V.DATE, SCHEMA.endDate),
            _ACCESS,
            _DESCRIPTION,
        )),
        Table("plans", "plan", SG.Plan, (
            _ID,
            Column("title", V.LABEL, RDFS.label),
            Column("kind", V.CODE, SG.planKind, "plan-kind"),
            Column("department", V.REF, SG.responsibleDepartment, "actor"),
            Column("issued", V.DATE, DCT.issued),
            Column("status", V.CODE, SG.planStatus, "plan-status"),
            Column("fields_of_action", V.CODES, SG.fieldOfAction, "field-of-action"),
            Column("target_groups", V.CODES, SG.targetGroup, "target-group"),
            Column("social_spaces", V.REFS, SG.socialSpace, "space"),
            Column("decision_number", V.STRING, SG.decisionNumber),
            Column("decision_date", V.DATE, SG.decisionDate),
            Column("decision_body", V.REF, SG.decisionBody, "actor"),
            Column("reporting_interval_months", V.INTEGER, SG.reportingIntervalMonths),
            Column("last_report_date", V.DATE, SG.lastReportDate),
            Column("url", V.URL, FOAF.page),
            _ACCESS,
        )),
        Table("indicators", "observation", QB.Observation, (
            Column("social_space", V.REF, SG.refSpace, "space"),
            Column("indicator", V.CODE, SG.indicator, "indicator"),
            Column("period", V.PERIOD, SG.period),
            Column("value", V.DECIMAL, SG.value),
        )),
        Table("participation", "participation", SG.ParticipationEvent, (
            _ID,
            Column("title", V.LABEL, RDFS.label),
            Column("format", V.CODE, SG.participationFormat, "participation-format"),
            Column("date", V.DATE, DCT.date),
            Column("social_spaces", V.REFS, SG.socialSpace, "space"),
            Column("target_groups", V.CODES, SG.targetGroup, "target-group"),
            _ACCESS,
        )),
        Table("needs", "need", SG.Need, (
            _ID,
            Column("social_space", V.REF, SG.socialSpace, "space"),
            Column("lat", V.LATITUDE),
            Column("lon", V.LONGITUDE),
            Column("target_group", V.CODE, SG.targetGroup, "target-group"),
            Column("field_of_action", V.CODE, SG.fieldOfAction, "field-of-action"),
            Column("source", V.STRING, DCT.source),
            _DESCRIPTION,
            Column("date", V.DATE, DCT.date),
            _ACCESS,
        )),
        Table("measures", "measure", SG.Measure, (
            _ID,
            Column("title", V.LABEL, RDFS.label),
            Column("plan", V.REF, SG.plan, "plan"),
            Column("responsible", V.REF, SG.responsible, "actor"),
            Column("fields_of_action", V.CODES, SG.fieldOfAction, "field-of-action"),
            Column("target_groups", V.CODES, SG.targetGroup, "target-group"),
            Column("social_spaces", V.REFS, SG.socialSpace, "space"),
            Column("status", V.CODE, SG.measureStatus, "measure-status"),
            Column("due_date", V.DATE, SG.dueDate),
            Column("cost_eur", V.DECIMAL, SG.costEur),
            Column("decision_number", V.STRING, SG.decisionNumber),
            _ACCESS,
            _DESCRIPTION,
        )),
    )
}

# Tables whose ids others refer to load first, so one `load` of a whole folder resolves its references.
LOAD_ORDER = ["spaces", "actors", "plans", "measures", "offers", "indicators", "participation", "needs"]

def table_for_name(stem: str) -> Table | None:
    """`offers.csv`, `offers-2025.xlsx`, `Offers_Erfurt.csv` -> offers; German names are accepted too."""
    lowered = stem.casefold()
    for name in sorted(TABLES, key=len, reverse=True):
        if lowered == name or lowered.startswith((name + "-", name + "_", name + " ", name + ".")):
            return TABLES[name]
    german = GERMAN_TABLE_NAMES.get(lowered.split("-")[0].split("_")[0])
    return TABLES[german] if german else None


GERMAN_TABLE_NAMES = {
    "raeume": "spaces", "räume": "spaces", "sozialraeume": "spaces", "sozialräume": "spaces",
    "akteure": "actors", "angebote": "offers", "planungen": "plans", "plaene": "plans", "pläne": "plans",
    "indikatoren": "indicators", "beteiligung": "participation", "bedarfe": "needs", "massnahmen": "measures",
    "maßnahmen": "measures",
}
