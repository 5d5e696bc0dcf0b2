"""The vocabulary contract: ontology, code lists and shapes say what DESIGN.md and ontology/README.md promise.

Loaders, queries and the UI are written against these files in parallel, so these tests pin the agreed
terms, codes and validation results with plain rdflib + pyshacl and no project code.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

ROOT = Path(__file__).parents[1]
ONTOLOGY = ROOT / "ontology" / "sozialgraph.ttl"
CODES_DIR = ROOT / "ontology" / "codes"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"

SG_NS = "https://w3id.org/sozialgraph/ontology#"
CODE_NS = "https://w3id.org/sozialgraph/code/"
SG = Namespace(SG_NS)
SH = Namespace("http://www.w3.org/ns/shacl#")
ORG = Namespace("http://www.w3.org/ns/org#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("http://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
QB = Namespace("http://purl.org/linked-data/cube#")
# A plain Namespace: rdflib's own XSD object warns when pytest inspects module attributes.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

DECLARATION_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    RDF.Property,
}


def ttl_files() -> list[Path]:
    return sorted([ONTOLOGY, *CODES_DIR.glob("*.ttl"), *SHAPES_DIR.glob("*.ttl")])


def parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def literals(graph: Graph, subject: Node, predicate: URIRef, lang: str | None = None) -> list[Literal]:
    """The literal objects of (subject, predicate), optionally only those in one language."""
    found = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    return found if lang is None else [o for o in found if o.language == lang]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse(ONTOLOGY)


@pytest.fixture(scope="module")
def codes() -> Graph:
    return parse(*sorted(CODES_DIR.glob("*.ttl")))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return parse(*sorted(SHAPES_DIR.glob("*.ttl")))


def sg_terms_declared(ontology: Graph) -> set[URIRef]:
    return {
        s
        for s, o in ontology.subject_objects(RDF.type)
        if isinstance(s, URIRef) and str(s).startswith(SG_NS) and o in DECLARATION_TYPES
    }


# --------------------------------------------------------------------------------------------------------
# (a) everything parses
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ttl_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_turtle_parses(path: Path) -> None:
    graph = parse(path)
    assert len(graph) > 0


def test_one_file_per_code_list() -> None:
    assert {p.stem for p in CODES_DIR.glob("*.ttl")} == set(EXPECTED_CODES)


# --------------------------------------------------------------------------------------------------------
# (b) the ontology declares every sg: term that is used, with labels and definitions in German and English
# --------------------------------------------------------------------------------------------------------

README_CLASSES = [
    "Actor", "Provider", "Department", "Committee", "Municipality", "Network", "ExternalBody", "Offer",
    "Facility", "Measure", "Plan", "CouncilPaper", "Consultation", "Decision", "FieldOfAction", "TargetGroup",
    "SocialSpace", "FundingProgramme", "Need", "ParticipationEvent", "Indicator", "SourceGraph",
]  # fmt: skip
README_OBJECT_PROPERTIES = [
    "spaceLevel", "parentSpace", "actorKind", "offerType", "provider", "fieldOfAction", "targetGroup",
    "socialSpace", "fundingProgramme", "planKind", "responsibleDepartment", "planStatus", "decisionBody",
    "refSpace", "indicator", "participationFormat", "plan", "responsible", "measureStatus", "access",
    "concernsPlan", "consultation", "consultedBy", "decision",
]  # fmt: skip
README_DATATYPE_PROPERTIES = [
    "officialCode", "decisionNumber", "decisionDate", "reportingIntervalMonths", "lastReportDate", "period",
    "value", "unit", "dueDate", "costEur", "fileName", "sha256", "loader", "tripleCount", "referenceNumber",
    "paperType", "consultationDate", "consultationRole", "placementDerived",
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kind"),
    [(n, OWL.Class) for n in README_CLASSES]
    + [(n, OWL.ObjectProperty) for n in README_OBJECT_PROPERTIES]
    + [(n, OWL.DatatypeProperty) for n in README_DATATYPE_PROPERTIES],
)
def test_readme_term_is_declared(ontology: Graph, name: str, kind: URIRef) -> None:
    assert (SG[name], RDF.type, kind) in ontology


def test_indicator_structure_is_a_data_structure_definition(ontology: Graph) -> None:
    assert (SG.IndicatorStructure, RDF.type, QB.DataStructureDefinition) in ontology
    dimensions = set(ontology.objects(None, QB.dimension))
    assert {SG.refSpace, SG.indicator, SG.period} <= dimensions
    assert SG.value in set(ontology.objects(None, QB.measure))


@pytest.mark.parametrize(
    ("sub", "predicate", "sup"),
    [
        (SG.Actor, RDFS.subClassOf, ORG.Organization),
        (SG.Department, RDFS.subClassOf, ORG.OrganizationalUnit),
        (SG.Municipality, RDFS.subClassOf, SG.Actor),
        (SG.Department, RDFS.subClassOf, SG.Actor),
        (SG.Provider, RDFS.subClassOf, SG.Actor),
        (SG.Committee, RDFS.subClassOf, SG.Actor),
        (SG.Network, RDFS.subClassOf, SG.Actor),
        (SG.ExternalBody, RDFS.subClassOf, SG.Actor),
        (SG.SocialSpace, RDFS.subClassOf, GEO.Feature),
        (SG.Offer, RDFS.subClassOf, SCHEMA.Service),
        (SG.FieldOfAction, RDFS.subClassOf, SKOS.Concept),
        (SG.TargetGroup, RDFS.subClassOf, SKOS.Concept),
        (SG.FundingProgramme, RDFS.subClassOf, SKOS.Concept),
        (SG.Indicator, RDFS.subClassOf, SKOS.Concept),
        (SG.SourceGraph, RDFS.subClassOf, PROV.Entity),
        (SG.parentSpace, RDFS.subPropertyOf, GEO.sfWithin),
    ],
)
def test_reuse_axioms(ontology: Graph, sub: URIRef, predicate: URIRef, sup: URIRef) -> None:
    assert (sub, predicate, sup) in ontology


def test_every_sg_term_has_labels_and_definitions_in_german_and_english(ontology: Graph) -> None:
    problems = []
    for term in sorted(sg_terms_declared(ontology)):
        for predicate in (RDFS.label, SKOS.definition):
            langs = Counter(o.language for o in literals(ontology, term, predicate))
            if langs["de"] != 1 or langs["en"] != 1:
                problems.append(f"{term} {predicate}: {dict(langs)}")
        if (term, RDFS.isDefinedBy, URIRef(SG_NS.rstrip("#"))) not in ontology:
            problems.append(f"{term}: no rdfs:isDefinedBy")
    assert not problems, "\n".join(problems)


def sg_iris_in_graph(graph: Graph) -> set[URIRef]:
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(SG_NS) and term != URIRef(SG_NS)
    }


def sg_iris_in_query(text: str) -> set[URIRef]:
    found = {URIRef(SG_NS + local) for local in re.findall(r"<" + re.escape(SG_NS) + r"([\w-]+)>", text)}
    prefixes = re.findall(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<" + re.escape(SG_NS) + ">", text, re.IGNORECASE)
    for prefix in set(prefixes):
        pattern = r"(?<![\w:<#/.-])" + re.escape(prefix) + r":([A-Za-z_][\w-]*)"
        found |= {URIRef(SG_NS + local) for local in re.findall(pattern, text)}
    return found


def test_sg_iris_used_in_shapes_codes_fixtures_and_queries_are_declared(ontology: Graph) -> None:
    declared = sg_terms_declared(ontology)
    used: dict[URIRef, set[str]] = {}
    for path in [*SHAPES_DIR.glob("*.ttl"), *CODES_DIR.glob("*.ttl"), *FIXTURES.glob("*.ttl")]:
        for iri in sg_iris_in_graph(parse(path)):
            used.setdefault(iri, set()).add(str(path.relative_to(ROOT)))
    for path in QUERIES_DIR.glob("**/*.rq"):
        for iri in sg_iris_in_query(path.read_text(encoding="utf-8")):
            used.setdefault(iri, set()).add(str(path.relative_to(ROOT)))
    missing = {str(iri): sorted(files) for iri, files in used.items() if iri not in declared}
    assert not missing, f"sg: terms used but not declared in ontology/sozialgraph.ttl: {missing}"


def test_query_scanner_finds_prefixed_and_full_iris() -> None:
    text = (
        "#+ summary: demo\nPREFIX sg: <https://w3id.org/sozialgraph/ontology#>\n"
        "SELECT * WHERE { ?o a sg:Offer ; sg:fieldOfAction ?f . "
        "?f <https://w3id.org/sozialgraph/ontology#unit> ?u }"
    )
    assert sg_iris_in_query(text) == {SG.Offer, SG.fieldOfAction, SG.unit}


# --------------------------------------------------------------------------------------------------------
# (c) code lists: every code of DESIGN.md with its notation and German label
# --------------------------------------------------------------------------------------------------------

# Labels in DESIGN.md are copied exactly; where DESIGN.md gives only the code, the label is ours.
EXPECTED_CODES: dict[str, dict[str, str]] = {
    "space-level": {
        "kommune": "Kommune",
        "sozialraum": "Sozialraum/Planungsraum",
        "stadtteil": "Stadtteil/Ortsteil",
    },
    "actor-kind": {
        "municipality": "Kommune",
        "department": "Amt/Fachbereich",
        "provider": "Träger",
        "committee": "Gremium",
        "network": "Netzwerk/Bündnis",
        "external": "externe Stelle",
    },
    "field-of-action": {
        "HF1": "Steuerung, Vernetzung, Nachhaltigkeit",
        "HF2": "Vereinbarkeit von Familie und Beruf sowie Mobilität",
        "HF3": "Bildung im familiären Umfeld",
        "HF4": "Beratung, Unterstützung und Information",
        "HF5": "Wohnumfeld und Lebensqualität",
        "HF6": "Dialog der Generationen",
    },
    "target-group": {
        "familien": "Familien",
        "kinder": "Kinder",
        "jugendliche": "Jugendliche und junge Erwachsene",
        "eltern": "Eltern",
        "alleinerziehende": "Alleinerziehende",
        "senioren": "Seniorinnen und Senioren",
        "pflegende-angehoerige": "Pflegende Angehörige",
        "frauen": "Frauen",
        "menschen-mit-behinderung": "Menschen mit Behinderung",
        "zugewanderte": "Zugewanderte und Geflüchtete",
        "langzeitarbeitslose": "Langzeitarbeitslose",
    },
    "offer-type": {
        "thekiz": "Eltern-Kind-Zentrum (ThEKiZ)",
        "familienzentrum": "Familienzentrum",
        "familienbildung": "Familienbildung",
        "beratungsstelle": "Beratungsstelle",
        "begegnungsstaette": "Begegnungsstätte",
        "stadtteilzentrum": "Stadtteilzentrum",
        "quartiersmanagement": "Quartiersmanagement",
        "mobiles-angebot": "Mobiles Angebot",
        "kita": "Kindertageseinrichtung",
        "jugendeinrichtung": "Jugendeinrichtung",
        "selbsthilfe": "Selbsthilfe",
        "sonstiges": "Sonstiges",
    },
    "funding-programme": {
        "lsz": "LSZ",
        "thekiz": "ThEKiZ",
        "thilik": "ThILIK",
        "thinka": "ThINKA",
        "armutspraevention": "Kommunale Armutsprävention",
        "kommunal": "kommunale Mittel",
        "sonstige": "sonstige",
    },
    "plan-kind": {
        "fachplanung": "Fachplanung",
        "konzept": "Konzept",
        "bericht": "Bericht",
        "studie": "Studie",
        "atlas": "Atlas",
        "integrierte-planung": "Integrierte Planung",
        "befragung": "Befragung",
    },
    "plan-status": {
        "in-arbeit": "in Arbeit",
        "beschlossen": "beschlossen",
        "zur-kenntnis": "zur Kenntnis genommen",
        "abgeloest": "abgelöst",
    },
    "participation-format": {
        "informationsveranstaltung": "Informationsveranstaltung",
        "diskussionsforum": "Diskussionsforum",
        "stadtteilkonferenz": "Stadtteilkonferenz",
        "befragung": "Befragung",
        "workshop": "Workshop",
        "beirat": "Beirat",
        "sozialkonferenz": "Sozialkonferenz",
    },
    "measure-status": {
        "geplant": "geplant",
        "laufend": "laufend",
        "umgesetzt": "umgesetzt",
        "verworfen": "verworfen",
    },
    "indicator": {
        "einwohner": "Einwohnerinnen und Einwohner",
        "einwohner-unter-18": "Einwohnerinnen und Einwohner unter 18 Jahren",
        "einwohner-65plus": "Einwohnerinnen und Einwohner ab 65 Jahren",
        "sgb2-quote": "SGB-II-Quote",
        "kinderarmut-quote": "Kinderarmutsquote",
        "alleinerziehende-anteil": "Anteil Alleinerziehender",
        "arbeitslosen-quote": "Arbeitslosenquote",
        "auslaender-anteil": "Ausländeranteil",
    },
    "access": {"public": "öffentlich", "internal": "intern"},
}

EXPECTED_UNITS = {
    "einwohner": "Personen",
    "einwohner-unter-18": "Personen",
    "einwohner-65plus": "Personen",
    "sgb2-quote": "%",
    "kinderarmut-quote": "%",
    "alleinerziehende-anteil": "%",
    "arbeitslosen-quote": "%",
    "auslaender-anteil": "%",
}

CONCEPT_CLASS = {
    "field-of-action": SG.FieldOfAction,
    "target-group": SG.TargetGroup,
    "funding-programme": SG.FundingProgramme,
    "indicator": SG.Indicator,
}

# Alternative German spellings planners type; the loaders map them to the code.
EXPECTED_ALT_LABELS = {
    ("actor-kind", "provider"): "Träger der freien Wohlfahrtspflege",
    ("actor-kind", "department"): "Amt",
    ("actor-kind", "committee"): "Ausschuss",
    ("offer-type", "thekiz"): "Eltern-Kind-Zentrum",
    ("target-group", "senioren"): "Senioren",
    ("target-group", "jugendliche"): "Jugendliche",
    ("space-level", "sozialraum"): "Planungsraum",
    ("field-of-action", "HF1"): "HF 1",
}


def scheme_iri(scheme: str) -> URIRef:
    return URIRef(CODE_NS + scheme)


def concepts_of(codes: Graph, scheme: str) -> list[URIRef]:
    return sorted(c for c in codes.subjects(SKOS.inScheme, scheme_iri(scheme)) if isinstance(c, URIRef))


def de_pref_label(codes: Graph, concept: URIRef) -> str:
    labels = [str(o) for o in literals(codes, concept, SKOS.prefLabel, "de")]
    assert len(labels) == 1, f"{concept} has German prefLabels {labels}"
    return labels[0]


@pytest.mark.parametrize(
    ("scheme", "notation", "label"),
    [(s, n, label) for s, table in EXPECTED_CODES.items() for n, label in table.items()],
)
def test_code_exists_with_notation_and_german_label(
    codes: Graph, scheme: str, notation: str, label: str
) -> None:
    concept = URIRef(f"{CODE_NS}{scheme}/{notation}")
    assert (concept, RDF.type, SKOS.Concept) in codes
    assert (concept, SKOS.inScheme, scheme_iri(scheme)) in codes
    assert list(codes.objects(concept, SKOS.notation)) == [Literal(notation)]
    assert de_pref_label(codes, concept) == label


@pytest.mark.parametrize("scheme", sorted(EXPECTED_CODES))
def test_scheme_is_well_formed(codes: Graph, scheme: str) -> None:
    iri = scheme_iri(scheme)
    assert (iri, RDF.type, SKOS.ConceptScheme) in codes
    for predicate in (SKOS.prefLabel, DCTERMS.title):
        assert {o.language for o in literals(codes, iri, predicate)} >= {"de", "en"}, predicate
    concepts = concepts_of(codes, scheme)
    assert {str(c).rsplit("/", 1)[1] for c in concepts} >= set(EXPECTED_CODES[scheme])
    assert set(codes.objects(iri, SKOS.hasTopConcept)) == set(concepts)
    notations: list[str] = []
    spellings: dict[str, set[URIRef]] = {}  # what a planner may type (casefolded) -> concepts it names
    for concept in concepts:
        assert (concept, SKOS.topConceptOf, iri) in codes
        assert len(list(codes.objects(concept, SKOS.inScheme))) == 1
        found = literals(codes, concept, SKOS.notation)
        assert len(found) == 1, f"{concept} has notations {found}"
        assert found[0].datatype is None and found[0].language is None, "notation must be a plain literal"
        assert str(concept) == f"{iri}/{found[0]}", "concept IRI must be {scheme}/{notation}"
        notations.append(str(found[0]))
        spellings.setdefault(str(found[0]).casefold(), set()).add(concept)
        de_pref_label(codes, concept)
        en = literals(codes, concept, SKOS.prefLabel, "en")
        assert len(en) == 1, f"{concept} needs exactly one English prefLabel"
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in literals(codes, concept, predicate, "de"):
                spellings.setdefault(str(label).casefold(), set()).add(concept)
        for alt in literals(codes, concept, SKOS.altLabel):
            assert alt.language == "de", f"{concept}: altLabel {alt!r} must be @de"
    assert len(notations) == len(set(notations)), f"duplicate notations in {scheme}"
    ambiguous = {text: sorted(found) for text, found in spellings.items() if len(found) > 1}
    assert not ambiguous, f"codes or German labels that would map to two concepts in {scheme}: {ambiguous}"


@pytest.mark.parametrize(("scheme", "cls"), sorted(CONCEPT_CLASS.items()))
def test_concepts_carry_their_class(codes: Graph, scheme: str, cls: URIRef) -> None:
    for concept in concepts_of(codes, scheme):
        assert (concept, RDF.type, cls) in codes, concept


@pytest.mark.parametrize(("notation", "unit"), sorted(EXPECTED_UNITS.items()))
def test_indicator_units(codes: Graph, notation: str, unit: str) -> None:
    concept = URIRef(f"{CODE_NS}indicator/{notation}")
    assert list(codes.objects(concept, SG.unit)) == [Literal(unit)]


@pytest.mark.parametrize(("key", "alt"), sorted(EXPECTED_ALT_LABELS.items()))
def test_common_spellings_are_alt_labels(codes: Graph, key: tuple[str, str], alt: str) -> None:
    scheme, notation = key
    assert (URIRef(f"{CODE_NS}{scheme}/{notation}"), SKOS.altLabel, Literal(alt, lang="de")) in codes


def test_actor_kinds_name_their_class(codes: Graph, ontology: Graph) -> None:
    classes = {
        str(c).rsplit("/", 1)[1]: codes.value(c, SG.actorClass) for c in concepts_of(codes, "actor-kind")
    }
    assert classes == {
        "municipality": SG.Municipality,
        "department": SG.Department,
        "provider": SG.Provider,
        "committee": SG.Committee,
        "network": SG.Network,
        "external": SG.ExternalBody,
    }
    for cls in classes.values():
        assert (cls, RDFS.subClassOf, SG.Actor) in ontology


# --------------------------------------------------------------------------------------------------------
# (d) shapes: SHACL Core only, German messages, and exact results on hand-written fixtures
# --------------------------------------------------------------------------------------------------------

SHACL_CORE_PREDICATES = {
    SH[name]
    for name in str.split(
        "targetClass targetNode targetSubjectsOf targetObjectsOf property path node or and not xone class "
        "datatype nodeKind minCount maxCount minInclusive maxInclusive minExclusive maxExclusive minLength "
        "maxLength pattern flags languageIn uniqueLang equals disjoint lessThan lessThanOrEquals hasValue in "
        "closed ignoredProperties qualifiedValueShape qualifiedMinCount qualifiedMaxCount "
        "qualifiedValueShapesDisjoint severity message name description deactivated order group "
        "defaultValue alternativePath inversePath zeroOrMorePath oneOrMorePath zeroOrOnePath"
    )
}
CONSTRAINT_PARAMETERS = {
    SH[name]
    for name in str.split(
        "node or and not xone class datatype nodeKind minCount maxCount minInclusive maxInclusive "
        "minExclusive maxExclusive minLength maxLength pattern languageIn uniqueLang equals disjoint "
        "lessThan lessThanOrEquals hasValue in closed qualifiedValueShape"
    )
}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def test_shapes_use_only_shacl_core(shapes: Graph) -> None:
    used = {p for p in shapes.predicates() if str(p).startswith(str(SH))}
    assert used <= SHACL_CORE_PREDICATES, used - SHACL_CORE_PREDICATES
    shape_types = {o for o in shapes.objects(None, RDF.type) if str(o).startswith(str(SH))}
    assert shape_types <= {SH.NodeShape, SH.PropertyShape}


def test_every_constraint_has_a_german_message_and_severity(shapes: Graph) -> None:
    targeted = {s for t in TARGETS for s in shapes.subjects(t, None)}
    checked = [s for s in targeted if any(shapes.value(s, p) is not None for p in CONSTRAINT_PARAMETERS)]
    checked += [ps for s in targeted for ps in shapes.objects(s, SH.property)]
    assert len(checked) > 50
    problems = []
    for shape in checked:
        messages = literals(shapes, shape, SH.message, "de")
        if len(messages) != 1 or not ("Spalte" in messages[0] or "Liste" in messages[0]):
            problems.append(f"{shape}: {messages}")
        if shapes.value(shape, SH.severity) not in (SH.Violation, SH.Warning):
            problems.append(f"{shape}: no explicit severity")
    assert not problems, "\n".join(problems)


ID = "https://sozialgraph.example/id/"
V, W = SH.Violation, SH.Warning


def e(kind: str, local: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{local}")


# fixture file -> exactly the (focus node, result path, severity) the shapes must report.
# A path of None is a node-level constraint (sh:or over several columns).
EXPECTED_RESULTS: dict[str, set[tuple[URIRef, URIRef | None, URIRef]]] = {
    "base.ttl": set(),
    "offer-coordinates-only.ttl": set(),
    "offer-missing-id.ttl": {(e("offer", "o-no-id"), DCTERMS.identifier, V)},
    "offer-missing-name.ttl": {(e("offer", "o-no-name"), RDFS.label, V)},
    "offer-missing-offer-type.ttl": {(e("offer", "o-no-type"), SG.offerType, V)},
    "offer-missing-provider.ttl": {(e("offer", "o-no-provider"), SG.provider, V)},
    "offer-missing-field-of-action.ttl": {(e("offer", "o-no-foa"), SG.fieldOfAction, V)},
    "offer-missing-target-groups.ttl": {(e("offer", "o-no-tg"), SG.targetGroup, V)},
    "offer-missing-location.ttl": {(e("offer", "o-nowhere"), None, V)},
    "offer-provider-unknown.ttl": {(e("offer", "o-ghost-provider"), SG.provider, V)},
    "offer-two-fields-of-action.ttl": {(e("offer", "o-two-foa"), SG.fieldOfAction, V)},
    "offer-field-not-hf.ttl": {(e("offer", "o-bad-foa"), SG.fieldOfAction, V)},
    "offer-missing-optional.ttl": {
        (e("offer", "o-sparse"), SCHEMA.address, W),
        (e("offer", "o-sparse"), SCHEMA.endDate, W),
        (e("offer", "o-sparse"), DCTERMS.description, W),
    },
    "committee-one-member.ttl": {(e("actor", "arbeitskreis"), ORG.hasMember, V)},
    "plan-no-department.ttl": {(e("plan", "seniorenbericht"), SG.responsibleDepartment, V)},
    "plan-no-scope.ttl": {(e("plan", "vorhabenliste"), None, V)},
    "space-missing-level.ttl": {
        (e("space", "hochheim"), SG.spaceLevel, V),
        (e("space", "hochheim"), SG.parentSpace, V),
    },
    "observation-incomplete.ttl": {
        (e("observation", "sr-nord-ohne-wert"), SG.value, V),
        (e("observation", "sr-nord-falsch"), SG.indicator, V),
        (e("observation", "sr-nord-falsch"), SG.value, V),
    },
    "participation-bad-date.ttl": {
        (e("participation", "umfrage"), DCTERMS.date, V),
        (e("participation", "konferenz"), DCTERMS.date, V),
    },
    "measure-bad-values.ttl": {
        (e("measure", "m-bad"), SG.measureStatus, V),
        (e("measure", "m-bad"), SG.costEur, V),
        (e("measure", "m-bad"), SG.access, V),
    },
}

# Spot checks that the message a planner sees names the column.
EXPECTED_MESSAGES = {
    "offer-missing-provider.ttl": "Angebot ohne Träger (Spalte provider).",
    "committee-one-member.ttl": "Gremium mit weniger als zwei Mitgliedern (Spalte members).",
    "plan-no-department.ttl": "Fachplanung ohne verantwortliches Amt (Spalte department).",
}

Result = tuple[URIRef, URIRef | None, URIRef, str]


def run_shapes(fixture: str, shapes: Graph, codes: Graph, ontology: Graph | None) -> set[Result]:
    data = Graph()
    data += codes
    data.parse(FIXTURES / "base.ttl", format="turtle")
    if fixture != "base.ttl":
        data.parse(FIXTURES / fixture, format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    results: set[Result] = set()
    for result in report.objects(None, SH.result):  # top-level results only, not nested sh:detail
        messages = literals(report, result, SH.resultMessage, "de")
        assert len(messages) == 1, f"result without exactly one German message: {result}"
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        severity = report.value(result, SH.resultSeverity)
        results.add((focus, path, severity, str(messages[0])))
    return results


def test_every_fixture_has_an_expectation() -> None:
    assert {p.name for p in FIXTURES.glob("*.ttl")} == set(EXPECTED_RESULTS)


@pytest.mark.parametrize("fixture", sorted(EXPECTED_RESULTS))
def test_fixture_gives_exactly_the_expected_results(
    fixture: str, shapes: Graph, codes: Graph, ontology: Graph
) -> None:
    with_ontology = run_shapes(fixture, shapes, codes, ontology)
    assert {r[:3] for r in with_ontology} == EXPECTED_RESULTS[fixture]
    if fixture in EXPECTED_MESSAGES:
        assert {r[3] for r in with_ontology} == {EXPECTED_MESSAGES[fixture]}
    # Actors are typed by their concrete class, so the results must not depend on the ontology being there.
    assert run_shapes(fixture, shapes, codes, None) == with_ontology


def test_dates_and_numbers_are_typed_as_the_readme_says(shapes: Graph) -> None:
    datatypes = {
        (shapes.value(ps, SH.path), shapes.value(ps, SH.datatype))
        for ps in shapes.subjects(SH.datatype, None)
        if shapes.value(ps, SH.path) is not None
    }
    assert {
        (SG.decisionDate, XSD.date),
        (SG.lastReportDate, XSD.date),
        (SG.dueDate, XSD.date),
        (DCTERMS.date, XSD.date),
        (DCTERMS.issued, XSD.date),
        (SCHEMA.startDate, XSD.date),
        (SCHEMA.endDate, XSD.date),
        (SG.costEur, XSD.decimal),
        (SG.value, XSD.decimal),
        (SG.reportingIntervalMonths, XSD.integer),
    } <= datatypes
