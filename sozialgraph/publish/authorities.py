"""The controlled-vocabulary concepts the catalogue may use (vocab/authorities.ttl), looked up by IRI."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from sozialgraph.errors import SozialgraphError
from sozialgraph.namespaces import SKOS

AUTHORITIES = Path(__file__).parent / "vocab" / "authorities.ttl"
LICENCES = "http://dcat-ap.de/def/licenses"
STATES = "http://dcat-ap.de/def/politicalGeocoding/stateKey"
DEFAULT_LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"


@cache
def _about() -> dict[str, list[Triple]]:
    about: dict[str, list[Triple]] = defaultdict(list)
    with AUTHORITIES.open("rb") as stream:
        for triple in parse(stream, format=RdfFormat.TURTLE):
            if isinstance(triple.subject, NamedNode):
                about[triple.subject.value].append(triple)
    return dict(about)


def _objects(iri: str, predicate: NamedNode) -> list[str]:
    return [t.object.value for t in _about().get(iri, []) if t.predicate == predicate
            and isinstance(t.object, NamedNode | Literal)]


def concepts_in(scheme: str) -> dict[str, str]:
    """Notation -> IRI of every concept listed for a scheme."""
    found: dict[str, str] = {}
    for iri in _about():
        if scheme in _objects(iri, SKOS.inScheme):
            notation = _objects(iri, SKOS.notation)
            if notation:
                found[notation[0]] = iri
    return found


def label(iri: str) -> str:
    labels = [t.object for t in _about().get(iri, []) if t.predicate == SKOS.prefLabel
              and isinstance(t.object, Literal)]
    german = [lit.value for lit in labels if lit.language == "de"]
    return (german or [lit.value for lit in labels] or [iri])[0]


def licence_iri(value: str | None) -> str:
    """The licence IRI for `--licence`: a full IRI or its short form (e.g. `dl-zero-de/2.0`)."""
    if not value:
        return DEFAULT_LICENCE
    licences = concepts_in(LICENCES)
    if value in licences.values():
        return value
    short = value.removeprefix("http://dcat-ap.de/def/licenses/").removeprefix(
        "https://www.dcat-ap.de/def/licenses/").strip("/")
    if short in licences:
        return licences[short]
    allowed = ", ".join(f"{notation} ({label(iri)})" for notation, iri in sorted(licences.items()))
    raise SozialgraphError(
        f"--licence '{value}' steht nicht in der Lizenzliste von DCAT-AP.de (http://dcat-ap.de/def/licenses). "
        f"Erlaubt: {allowed}"
    )


def state_name(municipality_key: str) -> str | None:
    iri = concepts_in(STATES).get(municipality_key[:2])
    return label(iri) if iri else None


def describe(iris: Iterable[str]) -> list[Triple]:
    """What the vocabulary file says about these IRIs and about the concept schemes they are in."""
    wanted = set(iris)
    schemes = {scheme for iri in wanted for scheme in _objects(iri, SKOS.inScheme)}
    triples: list[Triple] = []
    for iri in sorted(wanted | schemes):
        triples.extend(_about().get(iri, []))
    return triples


def known(iri: str) -> bool:
    return iri in _about()
