"""The offers as Open Referral HSDS 3.0: organizations (providers), services (offers), locations,
service_at_locations, and the code lists as taxonomies with their terms.

Every HSDS id is a UUID derived from the published IRI (uuid5 in the URL namespace), so it stays the same from
one publication to the next and anyone can compute it from the IRI.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from pyoxigraph import Literal, NamedNode

from sozialgraph.publish.authorities import state_name
from sozialgraph.publish.files import Written, write_stream
from sozialgraph.publish.queries import select
from sozialgraph.publish.subset import PublicGraph
from sozialgraph.publish.tables import LIST_SEPARATOR, Table

FOLDER = "hsds"
FILES = {
    "organizations": "organizations.json",
    "services": "services.json",
    "locations": "locations.json",
    "service_at_locations": "service_at_locations.json",
    "taxonomies": "taxonomies.json",
    "taxonomy_terms": "taxonomy_terms.json",
}
# How each classified offer column is linked to its taxonomy (HSDS attribute.link_type).
CLASSIFIED = {
    "field_of_action": "https://w3id.org/sozialgraph/code/field-of-action",
    "target_groups": "https://w3id.org/sozialgraph/code/target-group",
    "offer_type": "https://w3id.org/sozialgraph/code/offer-type",
}
_ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<postcode>\d{5})\s+(?P<city>.+)$")


def hsds_id(iri: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


@dataclass
class Term:
    record: dict[str, Any]
    scheme: str


def write_hsds(root: Path, graph: PublicGraph, offers: Table, actors: Table, municipality: str | None,
               municipality_key: str | None, today: dt.date) -> tuple[list[Written], int]:
    """The HSDS files and how many services they hold. Services, locations and service_at_locations are written
    one offer at a time: only the providers and the taxonomies are held in memory."""
    taxonomies: list[dict[str, Any]] = []
    taxonomy_terms: list[dict[str, Any]] = []
    terms = _taxonomies(graph, taxonomies, taxonomy_terms)
    actor_iri: dict[str, str] = {}
    providers: set[str] = set()
    for _, row in offers.rows():
        if row.get("provider"):
            providers.add(row["provider"])
    organisations: dict[str, str] = {}
    for iri, row in actors.rows():
        actor_iri[row["id"]] = iri
        if row["id"] in providers or row.get("kind") == "provider":
            organisations[row["id"]] = hsds_id(iri)
    del providers
    state = state_name(municipality_key) if municipality_key else None

    def organizations() -> Iterator[dict[str, Any]]:
        for iri, row in actors.rows():
            if row["id"] not in organisations:
                continue
            kind = row.get("kind_label") or row.get("kind") or "Akteur"
            record: dict[str, Any] = {
                "id": organisations[row["id"]],
                "name": row["name"] or row["id"],
                "description": f"{kind} „{row['name'] or row['id']}“ (Id {row['id']})",
                "uri": iri,
            }
            parent = row.get("parent", "")
            if parent in organisations and parent != row["id"]:
                record["parent_organization_id"] = organisations[parent]
            yield record

    def services() -> Iterator[dict[str, Any]]:
        for iri, row in offers.rows():
            yield _service(iri, row, terms, organisations, actor_iri, today)

    def locations() -> Iterator[dict[str, Any]]:
        for iri, row in offers.rows():
            location = _location(iri, row, municipality, state)
            if location is not None:
                yield location

    def service_at_locations() -> Iterator[dict[str, Any]]:
        for iri, row in offers.rows():
            location = _location(iri, row, municipality, state)
            if location is not None:
                yield {
                    "id": hsds_id(f"{iri}#service-at-location"),
                    "service_id": hsds_id(iri),
                    "location_id": location["id"],
                }

    records = {
        "organizations": organizations(),
        "services": services(),
        "locations": locations(),
        "service_at_locations": service_at_locations(),
        "taxonomies": iter(taxonomies),
        "taxonomy_terms": iter(taxonomy_terms),
    }
    written = [write_stream(root, f"{FOLDER}/{FILES[name]}", functools.partial(_json_list, records[name]))
               for name in FILES]
    return written, offers.count


def _json_list(records: Iterable[dict[str, Any]], stream: BinaryIO) -> None:
    """What `json.dumps(list(records), ensure_ascii=False, indent=1) + "\\n"` gives, a record at a time."""
    separator = b"[\n "
    for record in records:
        stream.write(separator + json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n ").encode("utf-8"))
        separator = b",\n "
    stream.write(b"[]\n" if separator == b"[\n " else b"\n]\n")


def _service(iri: str, row: Mapping[str, str], terms: Mapping[tuple[str, str], Term],
             organisations: Mapping[str, str], actor_iri: Mapping[str, str], today: dt.date) -> dict[str, Any]:
    service_id = hsds_id(iri)
    service: dict[str, Any] = {
        "id": service_id,
        "name": row["name"] or row["id"],
        "status": _status(row, today),
        "url": iri,
    }
    if row.get("description"):
        service["description"] = row["description"]
    if row.get("provider") in organisations:
        service["organization_id"] = organisations[row["provider"]]
    elif row.get("provider") in actor_iri:
        service["organization_id"] = hsds_id(actor_iri[row["provider"]])
    attributes = []
    for column, scheme in CLASSIFIED.items():
        for code in filter(None, row.get(column, "").split(LIST_SEPARATOR)):
            term = terms.get((scheme, code))
            if term is None:
                continue
            attributes.append({
                "id": hsds_id(f"{iri}#{column}={code}"),
                "link_id": service_id,
                "link_type": column,
                "link_entity": "service",
                "taxonomy_term_id": term.record["id"],
                "taxonomy_term": term.record,
            })
    if attributes:
        service["attributes"] = attributes
    if row.get("social_space"):
        service["service_areas"] = [{
            "id": hsds_id(f"{iri}#service-area"),
            "service_id": service_id,
            "name": row.get("social_space_label") or row["social_space"],
            "description": f"Sozialraum {row['social_space']}",
        }]
    return service


def _status(row: Mapping[str, str], today: dt.date) -> str:
    end = row.get("end_date", "")
    try:
        return "inactive" if end and dt.date.fromisoformat(end) < today else "active"
    except ValueError:
        return "active"


def _location(iri: str, row: Mapping[str, str], municipality: str | None,
              state: str | None) -> dict[str, Any] | None:
    address = row.get("address", "")
    lat, lon = row.get("lat", ""), row.get("lon", "")
    if not address and not (lat and lon):
        return None
    location_id = hsds_id(f"{iri}#location")
    location: dict[str, Any] = {
        "id": location_id,
        "location_type": "physical",
        "name": row.get("name") or row["id"],
    }
    if lat and lon:
        location["latitude"] = float(lat)
        location["longitude"] = float(lon)
    if address:
        match = _ADDRESS.match(address)
        location["addresses"] = [{
            "id": hsds_id(f"{iri}#address"),
            "location_id": location_id,
            "address_1": match.group("street") if match else address,
            "city": match.group("city") if match else (municipality or ""),
            "state_province": state or "",
            "postal_code": match.group("postcode") if match else "",
            "country": "DE",
            "address_type": "physical",
        }]
    return location


def _taxonomies(graph: PublicGraph, taxonomies: list[dict[str, Any]],
                taxonomy_terms: list[dict[str, Any]]) -> dict[tuple[str, str], Term]:
    terms: dict[tuple[str, str], Term] = {}
    seen_schemes: set[str] = set()
    rows = select(graph.store, "hsds-concepts")
    for row in rows:
        scheme, concept = row.get("scheme"), row.get("concept")
        notation, label = row.get("notation"), row.get("label")
        if not (isinstance(scheme, NamedNode) and isinstance(concept, NamedNode)
                and isinstance(notation, Literal) and isinstance(label, Literal)):
            continue
        scheme_label = _text(row.get("scheme_label")) or scheme.value.rsplit("/", 1)[-1]
        if scheme.value not in seen_schemes:
            seen_schemes.add(scheme.value)
            taxonomies.append({
                "id": hsds_id(scheme.value),
                "name": scheme_label,
                "description": _text(row.get("scheme_description")) or scheme_label,
                "uri": scheme.value,
            })
        if (scheme.value, notation.value) in terms:
            continue
        record: dict[str, Any] = {
            "id": hsds_id(concept.value),
            "code": notation.value,
            "name": label.value,
            "description": _text(row.get("definition")) or label.value,
            "taxonomy": scheme_label,
            "taxonomy_id": hsds_id(scheme.value),
            "language": "de",
            "term_uri": concept.value,
        }
        broader = row.get("broader")
        if isinstance(broader, NamedNode):
            record["parent_id"] = hsds_id(broader.value)
        terms[(scheme.value, notation.value)] = Term(record, scheme.value)
        taxonomy_terms.append(record)
    return terms


def _text(term: object) -> str:
    return term.value if isinstance(term, Literal) else ""
