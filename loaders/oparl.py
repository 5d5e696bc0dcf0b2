"""Council papers from an OParl 1.1 council information system: system → bodies → paper lists (page by page)
→ consultations with their meetings and organizations.

A paper (`sg:CouncilPaper`) keeps its reference number, date, type and its path through the committees
(`sg:consultation`: organization, meeting date, role, and the decision taken there). A paper whose reference is a
plan's decision number concerns that plan (`sg:concernsPlan`). The whole system is one named graph, replaced on
every load, so `--since` narrows what the graph holds (papers dated on or after the day), not an incremental sync.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pyoxigraph import Literal, NamedNode, Triple

from loaders.convert import entity_iri
from loaders.oparl_client import OParlClient
from loaders.pipeline import LoadReport
from loaders.values import CellError, parse_date
from sozialgraph.errors import InputError
from sozialgraph.namespaces import DCT, FOAF, ORG, RDF, RDFS, SG, XSD
from sozialgraph.store import GraphContent, GraphStore

_RQ = Path(__file__).parent / "rq"
_ACTORS = (_RQ / "actors-by-name.rq").read_text(encoding="utf-8")
_PLANS = (_RQ / "plans-by-decision-number.rq").read_text(encoding="utf-8")


@dataclass
class OParlReport(LoadReport):
    papers: int = 0
    pages: int = 0
    skipped_before_since: int = 0
    linked_plans: list[str] = field(default_factory=list)


def parse_since(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(parse_date(text).value)
    except CellError as error:
        raise InputError("--since", error.problem, value=text, allowed=error.allowed) from error


def graph_name(location: str) -> str:
    if location.startswith(("http://", "https://")):
        parts = urlsplit(location)
        return f"oparl/{parts.netloc}{parts.path}".rstrip("/")
    return f"oparl/{Path(location).resolve().name}"


def load_oparl(store: GraphStore, location: str, since: dt.date | None = None, dry_run: bool = False,
               name: str | None = None) -> OParlReport:
    """Walk the system and store its papers as one graph (all or nothing)."""
    client = OParlClient(location)
    report = OParlReport()
    try:
        converter = PaperConverter(store, client)
        _walk(client, converter, since, report)
    finally:
        client.close()
    report.warnings.extend(client.warnings)
    report.linked_plans = sorted(converter.linked_plans)
    content = GraphContent(name or graph_name(location), converter.triples, source=location,
                           sha256=client.digest.hexdigest(), loader="loaders.oparl")
    if not dry_run:
        report.graphs = store.replace([content])
    return report


def _walk(client: OParlClient, converter: PaperConverter, since: dt.date | None, report: OParlReport) -> None:
    system_url = client.entry_url()
    system = client.get_object(system_url, "System")
    params = {"modified_since": f"{since.isoformat()}T00:00:00+00:00"} if since else {}
    for body_page in client.pages(system["body"]):
        for index, body in enumerate(body_page.items):
            where = _item(body_page.url, index, body)
            client.check(body, "Body", where)
            if body.get("deleted") is True:
                continue
            if not isinstance(body.get("paper"), str):
                client.warnings.append(f"{where}: die Körperschaft hat keine Drucksachenliste (Feld 'paper')")
                continue
            # The server may ignore modified_since; the date filter below decides.
            for page in client.pages(body["paper"], params):
                report.pages += 1
                for position, paper in enumerate(page.items):
                    paper_where = _item(page.url, position, paper)
                    client.check(paper, "Paper", paper_where)
                    if paper.get("deleted") is True:
                        continue
                    day = _paper_day(paper)
                    if since is not None and (day is None or day < since):
                        report.skipped_before_since += 1
                        continue
                    converter.paper(paper, day, paper_where)
                    report.papers += 1


def _item(page_url: str, index: int, data: Mapping[str, Any]) -> str:
    identifier = data.get("id")
    return f"{page_url}, data/{index}" + (f" (id {identifier})" if isinstance(identifier, str) else "")


def _paper_day(paper: Mapping[str, Any]) -> dt.date | None:
    for name in ("date", "created"):
        value = paper.get(name)
        if isinstance(value, str) and len(value) >= 10:
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def _date(value: object) -> Literal | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return Literal(dt.date.fromisoformat(value[:10]).isoformat(), datatype=XSD.date)
        except ValueError:
            return None
    return None


class PaperConverter:
    """OParl objects into triples; actors the store already knows (by name) are reused, not defined again."""

    def __init__(self, store: GraphStore, client: OParlClient) -> None:
        self.base = store.base_uri
        self.client = client
        self.triples: list[Triple] = []
        self.linked_plans: set[str] = set()
        self._papers: set[str] = set()
        self._actors: dict[str, NamedNode | None] = {}
        self._known_actors: dict[str, NamedNode] = {}
        for row in store.select(_ACTORS).rows:
            actor, label = row.get("actor"), row.get("name")
            if isinstance(actor, NamedNode) and isinstance(label, Literal):
                self._known_actors.setdefault(label.value.strip().casefold(), actor)
        self._plans: dict[str, list[NamedNode]] = {}
        for row in store.select(_PLANS).rows:
            plan, number = row.get("plan"), row.get("number")
            if isinstance(plan, NamedNode) and isinstance(number, Literal):
                self._plans.setdefault(_normal(number.value), []).append(plan)

    def paper(self, paper: Mapping[str, Any], day: dt.date | None, where: str) -> None:
        reference = paper.get("reference")
        identifier = reference.strip() if isinstance(reference, str) and reference.strip() else str(paper["id"])
        subject = entity_iri(self.base, "paper", identifier)
        if subject.value in self._papers:
            self.client.warnings.append(f"{where}: Drucksache '{identifier}' kommt doppelt vor; die erste gilt")
            return
        self._papers.add(subject.value)
        add = self.triples.append
        add(Triple(subject, RDF.type, SG.CouncilPaper))
        add(Triple(subject, DCT.identifier, Literal(identifier)))
        if isinstance(reference, str) and reference.strip():
            add(Triple(subject, SG.referenceNumber, Literal(reference.strip())))
            for plan in self._plans.get(_normal(reference), []):
                add(Triple(subject, SG.concernsPlan, plan))
                self.linked_plans.add(plan.value)
        if isinstance(paper.get("name"), str):
            add(Triple(subject, RDFS.label, Literal(paper["name"], language="de")))
        date = _date(paper.get("date"))
        if date is not None:
            add(Triple(subject, DCT.date, date))
        if isinstance(paper.get("paperType"), str):
            add(Triple(subject, SG.paperType, Literal(paper["paperType"])))
        self._link(subject, RDFS.seeAlso, paper.get("id"))
        self._link(subject, FOAF.page, paper.get("web"))
        consultations = [c for c in paper.get("consultation") or [] if isinstance(c, dict)]
        steps = [self._consultation(subject, identifier, number, item)
                 for number, item in enumerate(consultations, start=1)]
        decisions = [(authoritative, date, decision) for authoritative, date, decision in steps if decision]
        chosen = [d for d in decisions if d[0]] or sorted(decisions, key=lambda d: d[1] or "")[-1:]
        for _, _, decision in chosen:
            assert decision is not None
            add(Triple(subject, SG.decision, decision))

    def _consultation(self, paper: NamedNode, reference: str, number: int,
                      data: Mapping[str, Any]) -> tuple[bool, str | None, NamedNode | None]:
        add = self.triples.append
        subject = NamedNode(f"{paper.value}#consultation-{number}")
        add(Triple(paper, SG.consultation, subject))
        add(Triple(subject, RDF.type, SG.Consultation))
        self._link(subject, RDFS.seeAlso, data.get("id"))
        if isinstance(data.get("role"), str):
            add(Triple(subject, SG.consultationRole, Literal(data["role"])))
        bodies = [actor for url in data.get("organization") or [] if isinstance(url, str)
                  if (actor := self._actor(url)) is not None]
        for actor in bodies:
            add(Triple(subject, SG.consultedBy, actor))
        meeting = self.client.get_optional(data["meeting"], "Meeting") if isinstance(data.get("meeting"), str) \
            else None
        date = _date(meeting.get("start")) if meeting else None
        if date is not None:
            add(Triple(subject, SG.consultationDate, date))
        item = _agenda_item(meeting, data) if meeting else None
        decision = None
        if item is not None and (isinstance(item.get("result"), str) or isinstance(item.get("resolutionText"), str)):
            decision = NamedNode(f"{paper.value}#decision-{number}")
            add(Triple(subject, SG.decision, decision))
            add(Triple(decision, RDF.type, SG.Decision))
            add(Triple(decision, SG.decisionNumber, Literal(reference)))
            result = item.get("result")
            add(Triple(decision, RDFS.label, Literal(result if isinstance(result, str) else "Beschluss",
                                                     language="de")))
            if isinstance(item.get("resolutionText"), str):
                add(Triple(decision, DCT.description, Literal(item["resolutionText"], language="de")))
            if date is not None:
                add(Triple(decision, SG.decisionDate, date))
            for actor in bodies:
                add(Triple(decision, SG.decisionBody, actor))
            self._link(decision, RDFS.seeAlso, item.get("id"))
        return data.get("authoritative") is True, date.value if date is not None else None, decision

    def _actor(self, url: str) -> NamedNode | None:
        if url in self._actors:
            return self._actors[url]
        organization = self.client.get_optional(url, "Organization")
        actor = None
        if organization is not None:
            names = [organization.get(key) for key in ("name", "shortName")]
            known = next((self._known_actors[n.strip().casefold()] for n in names
                          if isinstance(n, str) and n.strip().casefold() in self._known_actors), None)
            actor = known or self._define_actor(url, organization)
        self._actors[url] = actor
        return actor

    def _define_actor(self, url: str, organization: Mapping[str, Any]) -> NamedNode:
        """An organization the planners have not listed: a plain org:Organization, outside their inventory.

        Typing it as one of the actor classes would make the completeness check demand what OParl does not carry
        (an actor kind, a committee's members); the warning tells the planner how to link it instead.
        """
        identifier = "oparl-" + re.sub(r"[^A-Za-z0-9]+", "-", urlsplit(url).path).strip("-")
        subject = entity_iri(self.base, "actor", identifier)
        name = str(organization.get("name") or organization.get("shortName") or identifier)
        add = self.triples.append
        add(Triple(subject, RDF.type, ORG.Organization))
        add(Triple(subject, DCT.identifier, Literal(identifier)))
        add(Triple(subject, RDFS.label, Literal(name, language="de")))
        self._link(subject, RDFS.seeAlso, url)
        self.client.warnings.append(
            f"{url}: das Gremium '{name}' steht nicht unter den Akteuren; mit gleichem Namen in actors.csv "
            "erfasst, wird es beim nächsten Laden verknüpft")
        return subject

    def _link(self, subject: NamedNode, predicate: NamedNode, url: object) -> None:
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            try:
                self.triples.append(Triple(subject, predicate, NamedNode(url)))
            except ValueError:
                self.client.warnings.append(f"{url}: keine gültige IRI, Verweis ausgelassen")


def _agenda_item(meeting: Mapping[str, Any], consultation: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for item in meeting.get("agendaItem") or []:
        if not isinstance(item, dict):
            continue
        if (item.get("id") is not None and item.get("id") == consultation.get("agendaItem")) or (
                item.get("consultation") is not None and item.get("consultation") == consultation.get("id")):
            return item
    return None


def _normal(reference: str) -> str:
    return re.sub(r"\s+", "", reference).casefold()
