"""The DCAT-AP.de 3.0 catalogue of a publication: one dataset for the whole graph, one per table, the offers as
HSDS and the vocabulary, each file a distribution with format, media type, size, SHA-256 and download URL.

Every controlled-vocabulary concept the catalogue uses is described in it too (type, scheme, label; see
vocab/authorities.ttl), so validators that cannot load the authority tables can still check membership.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple

from sozialgraph.namespaces import DCT, FOAF, RDF, SKOS, XSD, Namespace
from sozialgraph.publish import authorities
from sozialgraph.publish.files import Written, rdf_bytes
from sozialgraph.publish.jsonld import compact_jsonld
from sozialgraph.publish.layout import Layout

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = EU + "file-type/"
IANA = "https://www.iana.org/assignments/media-types/"
MUNICIPALITY_KEY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey"
CONTRIBUTORS = "http://dcat-ap.de/def/contributors"
CATALOG_FILE = "catalog.ttl"
CATALOG_JSONLD = "catalog.jsonld"
PREFIXES = {
    "dcat": DCAT.base, "dct": DCT.base, "dcatde": DCATDE.base, "dcatap": DCATAP.base, "adms": ADMS.base,
    "spdx": SPDX.base, "vcard": VCARD.base, "foaf": FOAF.base, "skos": SKOS.base, "xsd": XSD.base,
    "rdf": RDF.base,
}


@dataclass
class Distribution:
    written: Written
    title: str
    file_type: str
    """Notation in the EU file-type table, e.g. `CSV`."""
    media_type: str
    """IANA media type, e.g. `text/csv`."""
    description: str = ""
    compress_format: str | None = None
    conforms_to: str | None = None


@dataclass
class Dataset:
    key: str
    title: str
    description: str
    keywords: list[str]
    themes: list[str]
    distributions: list[Distribution]
    temporal: tuple[str, str] | None = None
    conforms_to: str | None = None


@dataclass
class Publisher:
    iri: str
    name: str


@dataclass
class Municipality:
    key: str
    name: str


@dataclass
class CatalogInfo:
    layout: Layout
    title: str
    description: str
    licence: str
    publisher: Publisher
    contributor_id: str
    contributor_confirmed: bool
    """True when the open-data team named the GovData contributor id; a derived guess is not claimed to be in
    the DCAT-AP.de list."""
    contact_email: str | None
    municipalities: list[Municipality]
    issued: str
    modified: str
    datasets: list[Dataset] = field(default_factory=list)


def catalog_iri(layout: Layout, fragment: str) -> NamedNode:
    return NamedNode(f"{layout.site}catalog#{fragment}")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def contributor_iri(value: str) -> str:
    return value if value.startswith("http") else f"{CONTRIBUTORS}/{value}"


def build_catalog(info: CatalogInfo) -> list[Triple]:
    layout = info.layout
    triples: list[Triple] = []
    add = triples.append
    catalog = catalog_iri(layout, "catalog")
    publisher = NamedNode(info.publisher.iri)
    contact = catalog_iri(layout, "contact")
    homepage = NamedNode(layout.url("index.html"))
    licence = NamedNode(info.licence)
    language = NamedNode(EU + "language/DEU")
    available = NamedNode(EU + "planned-availability/AVAILABLE")
    issued = Literal(info.issued, datatype=XSD.dateTime)
    modified = Literal(info.modified, datatype=XSD.dateTime)
    spatial = [NamedNode(f"{MUNICIPALITY_KEY}/{m.key}") for m in info.municipalities]

    add(Triple(catalog, RDF.type, DCAT.Catalog))
    add(Triple(catalog, DCT.title, Literal(info.title, language="de")))
    add(Triple(catalog, DCT.description, Literal(info.description, language="de")))
    add(Triple(catalog, DCT.publisher, publisher))
    add(Triple(catalog, DCT.language, language))
    add(Triple(catalog, DCT.license, licence))
    add(Triple(catalog, DCT.issued, issued))
    add(Triple(catalog, DCT.modified, modified))
    add(Triple(catalog, FOAF.homepage, homepage))
    add(Triple(catalog, DCAT.themeTaxonomy, NamedNode(EU + "data-theme")))
    for place in spatial:
        add(Triple(catalog, DCT.spatial, place))
    add(Triple(homepage, RDF.type, FOAF.Document))

    add(Triple(publisher, RDF.type, FOAF.Agent))
    add(Triple(publisher, FOAF.name, Literal(info.publisher.name, language="de")))
    add(Triple(publisher, DCT.type, NamedNode("http://purl.org/adms/publishertype/LocalAuthority")))

    add(Triple(contact, RDF.type, VCARD.Kind))
    add(Triple(contact, RDF.type, VCARD.Organization))
    add(Triple(contact, VCARD.fn, Literal(info.publisher.name)))
    add(Triple(contact, VCARD.hasURL, homepage))
    if info.contact_email:
        add(Triple(contact, VCARD.hasEmail, NamedNode(f"mailto:{info.contact_email}")))

    contributor = NamedNode(contributor_iri(info.contributor_id))
    for dataset in info.datasets:
        node = catalog_iri(layout, f"dataset-{dataset.key}")
        add(Triple(catalog, DCAT.dataset, node))
        add(Triple(node, RDF.type, DCAT.Dataset))
        add(Triple(node, DCT.title, Literal(dataset.title, language="de")))
        add(Triple(node, DCT.description, Literal(dataset.description, language="de")))
        add(Triple(node, DCT.identifier, Literal(node.value)))
        add(Triple(node, DCT.publisher, publisher))
        add(Triple(node, DCAT.contactPoint, contact))
        add(Triple(node, DCATDE.contributorID, contributor))
        add(Triple(node, DCT.issued, issued))
        add(Triple(node, DCT.modified, modified))
        add(Triple(node, DCT.language, language))
        add(Triple(node, DCT.accessRights, NamedNode(EU + "access-right/PUBLIC")))
        add(Triple(node, DCT.accrualPeriodicity, NamedNode(EU + "frequency/IRREG")))
        add(Triple(node, DCATAP.availability, available))
        add(Triple(node, DCAT.landingPage, homepage))
        for place in spatial:
            add(Triple(node, DCT.spatial, place))
        if spatial:
            add(Triple(node, DCATDE.politicalGeocodingLevelURI,
                       NamedNode("http://dcat-ap.de/def/politicalGeocoding/Level/municipality")))
        for theme in dataset.themes:
            add(Triple(node, DCAT.theme, NamedNode(EU + "data-theme/" + theme)))
        for keyword in dataset.keywords:
            add(Triple(node, DCAT.keyword, Literal(keyword, language="de")))
        if dataset.conforms_to:
            add(Triple(node, DCT.conformsTo, NamedNode(dataset.conforms_to)))
        if dataset.temporal:
            period = catalog_iri(layout, f"dataset-{dataset.key}-temporal")
            add(Triple(node, DCT.temporal, period))
            add(Triple(period, RDF.type, DCT.PeriodOfTime))
            add(Triple(period, DCAT.startDate, Literal(dataset.temporal[0], datatype=XSD.date)))
            add(Triple(period, DCAT.endDate, Literal(dataset.temporal[1], datatype=XSD.date)))
        for distribution in dataset.distributions:
            triples.extend(_distribution(info, node, distribution, licence, issued, available))
    triples.extend(_descriptions(info, triples, contributor))
    return list(dict.fromkeys(triples))


def _distribution(info: CatalogInfo, dataset: NamedNode, spec: Distribution, licence: NamedNode,
                  issued: Literal, available: NamedNode) -> list[Triple]:
    layout = info.layout
    node = catalog_iri(layout, f"distribution-{slug(spec.written.relative)}")
    checksum = catalog_iri(layout, f"distribution-{slug(spec.written.relative)}-checksum")
    url = NamedNode(layout.url(spec.written.relative))
    triples = [
        Triple(dataset, DCAT.distribution, node),
        Triple(node, RDF.type, DCAT.Distribution),
        Triple(node, DCT.title, Literal(spec.title, language="de")),
        Triple(node, DCAT.accessURL, url),
        Triple(node, DCAT.downloadURL, url),
        Triple(node, DCT.format, NamedNode(FILE_TYPE + spec.file_type)),
        Triple(node, DCAT.mediaType, NamedNode(IANA + spec.media_type)),
        Triple(node, DCAT.byteSize, Literal(str(spec.written.size), datatype=XSD.nonNegativeInteger)),
        Triple(node, SPDX.checksum, checksum),
        Triple(checksum, RDF.type, SPDX.Checksum),
        Triple(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        Triple(checksum, SPDX.checksumValue, Literal(spec.written.sha256, datatype=XSD.hexBinary)),
        Triple(node, DCT.license, licence),
        Triple(node, DCATDE.licenseAttributionByText, Literal(info.publisher.name)),
        Triple(node, ADMS.status, NamedNode(EU + "distribution-status/COMPLETED")),
        Triple(node, DCATAP.availability, available),
        Triple(node, DCT.issued, issued),
        Triple(node, DCT.modified, issued),
    ]
    if spec.description:
        triples.append(Triple(node, DCT.description, Literal(spec.description, language="de")))
    if spec.compress_format:
        triples.append(Triple(node, DCAT.compressFormat, NamedNode(IANA + spec.compress_format)))
    if spec.conforms_to:
        triples.append(Triple(node, DCT.conformsTo, NamedNode(spec.conforms_to)))
    return triples


def _descriptions(info: CatalogInfo, triples: list[Triple], contributor: NamedNode) -> list[Triple]:
    used = {t.object.value for t in triples if isinstance(t.object, NamedNode)}
    unknown = sorted(iri for iri in used if iri.startswith(EU) and not authorities.known(iri))
    if unknown:
        raise ValueError(f"concepts missing from vocab/authorities.ttl: {unknown}")
    described = authorities.describe(iri for iri in used if authorities.known(iri))
    for municipality in info.municipalities:
        place = NamedNode(f"{MUNICIPALITY_KEY}/{municipality.key}")
        described += [
            Triple(place, RDF.type, SKOS.Concept),
            Triple(place, RDF.type, DCT.Location),
            Triple(place, SKOS.inScheme, NamedNode(MUNICIPALITY_KEY)),
            Triple(place, SKOS.notation, Literal(municipality.key)),
            Triple(place, SKOS.prefLabel, Literal(municipality.name, language="de")),
        ]
    if info.municipalities:
        described += authorities.describe([MUNICIPALITY_KEY])
    if info.contributor_confirmed:
        described += [
            Triple(contributor, RDF.type, SKOS.Concept),
            Triple(contributor, SKOS.inScheme, NamedNode(CONTRIBUTORS)),
            Triple(contributor, SKOS.prefLabel, Literal(info.publisher.name, language="de")),
            *authorities.describe([CONTRIBUTORS]),
        ]
    return described


def catalog_turtle(triples: list[Triple]) -> bytes:
    # Grouped by subject (catalogue first), so that each resource reads as one block.
    ordered = sorted(triples, key=lambda t: (not str(t.subject).endswith("#catalog>"), str(t.subject),
                                             t.predicate != RDF.type))
    return rdf_bytes(ordered, RdfFormat.TURTLE, PREFIXES)


def catalog_jsonld(triples: list[Triple]) -> str:
    # Self-contained (context inline): harvesters fetch the catalogue alone.
    return compact_jsonld(triples, PREFIXES, PREFIXES)
