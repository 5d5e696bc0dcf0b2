"""Which entries lack a required field, kept as derived graphs that the saved query `incomplete-entities` reads.

Checking every offer, need and indicator value for every required field at query time read each property of the
whole store: 1.2-1.7 s at state scale, 20-24 s at nation scale. Loads keep two things instead:

- candidates (`_derived/completeness/candidates`, internal): the entries a source types and leaves without a
  required field *within that source*. An entry that lacks the field in the whole store lacks it in the source
  that types it, so the candidates of the current sources always include every incomplete entry. A load
  recomputes the candidates of the sources it writes and keeps those of the others.
- the answer rows (`_derived/completeness`, and `/internal` for planners when internal graphs exist): each
  candidate checked against everything its readers will see, grouped by table, field and space as the query
  shows them. They are computed inside the write, after the new versions are written and before they become
  visible (`DerivedContent`): what the written sources say about the candidates is kept while they are read
  for the space closure (`SourceEntries`), what the kept graphs say is read from the store, one index seek per
  candidate (about 0.1 ms each, so a load of every source reads nothing). To hold less, a source keeps the
  facts of its own candidates, the candidates of kept sources, spaces and entities it does not type; the rare
  entry that a source types and completes but another source leaves incomplete is read from the store.

Planners read both row graphs; the internal one carries a marker the query uses to prefer its rows. Loads that
bypass the space closure (OParl papers) type no checked entries and leave the rows as they are.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from sozialgraph.namespaces import DCT, RDF, RDFS, SG, XSD
from sozialgraph.sparql_values import bind
from sozialgraph.store import GraphInfo, GraphStore, Term
from sozialgraph.store.graphs import Derivation, Visible

CANDIDATES_GRAPH = "_derived/completeness/candidates"
ROWS_GRAPH = "_derived/completeness"
INTERNAL_ROWS_GRAPH = ROWS_GRAPH + "/internal"
COMPLETENESS_GRAPHS = frozenset((CANDIDATES_GRAPH, ROWS_GRAPH, INTERNAL_ROWS_GRAPH))
DERIVED_PREFIX = "_derived/"
PUBLIC_VIEW = NamedNode("urn:sozialgraph:completeness:public")
PLANNERS_VIEW = NamedNode("urn:sozialgraph:completeness:planners")
_CANDIDATES = NamedNode("urn:sozialgraph:completeness:candidates")
_ROW_PREFIX = "urn:sozialgraph:completeness:row:"
_RQ = Path(__file__).parent / "rq"
_STATEMENTS = (_RQ / "completeness-statements.rq").read_text(encoding="utf-8")
_CHUNK = 1000
_GEOMETRY = "http://www.opengis.net/ont/geosparql#hasGeometry"
_OBSERVATION = "http://purl.org/linked-data/cube#Observation"
_ACTOR = SG.actorKind.value
"""An actor is an entry with an `sg:actorKind`; the other tables are classes."""


@dataclass(frozen=True)
class Check:
    table: str
    missing: str
    kind: str
    """The class of the table's entries, or `sg:actorKind` for actors."""
    properties: tuple[str, ...]
    """The entry lacks the field when it has none of these."""

    @property
    def key(self) -> str:
        return f"{self.table}/{self.missing}"


def _sg(name: str) -> str:
    return SG[name].value


_LABEL, _DATE = RDFS.label.value, DCT.date.value
CHECKS = (
    Check("offers", "name", _sg("Offer"), (_LABEL,)),
    Check("plans", "title", _sg("Plan"), (_LABEL,)),
    Check("measures", "title", _sg("Measure"), (_LABEL,)),
    Check("participation", "title", _sg("ParticipationEvent"), (_LABEL,)),
    Check("actors", "name", _ACTOR, (_LABEL,)),
    Check("offers", "offer_type", _sg("Offer"), (_sg("offerType"),)),
    Check("offers", "provider", _sg("Offer"), (_sg("provider"),)),
    Check("offers", "field_of_action", _sg("Offer"), (_sg("fieldOfAction"),)),
    Check("needs", "field_of_action", _sg("Need"), (_sg("fieldOfAction"),)),
    Check("offers", "target_groups", _sg("Offer"), (_sg("targetGroup"),)),
    Check("needs", "target_group", _sg("Need"), (_sg("targetGroup"),)),
    Check("offers", "social_space", _sg("Offer"), (_sg("socialSpace"), _GEOMETRY)),
    Check("needs", "social_space", _sg("Need"), (_sg("socialSpace"),)),
    Check("plans", "department", _sg("Plan"), (_sg("responsibleDepartment"),)),
    Check("plans", "fields_of_action/target_groups/social_spaces", _sg("Plan"),
          (_sg("fieldOfAction"), _sg("targetGroup"), _sg("socialSpace"))),
    Check("measures", "status", _sg("Measure"), (_sg("measureStatus"),)),
    Check("participation", "date", _sg("ParticipationEvent"), (_DATE,)),
    Check("indicators", "value", _OBSERVATION, (_sg("value"),)),
    Check("spaces", "name", _sg("SocialSpace"), (_LABEL,)),
    Check("spaces", "level", _sg("SocialSpace"), (_sg("spaceLevel"),)),
)
CHECK_BY_KEY = {check.key: check for check in CHECKS}
_KINDS = frozenset(check.kind for check in CHECKS if check.kind != _ACTOR)
_CHECKED = frozenset(prop for check in CHECKS for prop in check.properties)
_TYPE, _IDENTIFIER = RDF.type.value, DCT.identifier.value
_FACTS = frozenset((_IDENTIFIER, _LABEL, _sg("socialSpace"), _sg("refSpace")))
COMPLETENESS_INPUTS = _CHECKED | _FACTS | {_TYPE, _ACTOR}
"""The predicates `SourceEntries` reads."""
_LOCATED = frozenset((_sg("socialSpace"), _sg("refSpace")))
_SPACES_ITSELF = "spaces"
Candidate = tuple[str, str]
"""(check key, entry)."""


@dataclass
class SourceEntries:
    """What one source says about the checked entries: their kinds, which checked properties they have, and
    their ids, names and spaces. `add` runs for about half the triples of a load, so it keeps the first value
    of a fact in a plain dict and only further ones in a list."""

    kinds: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    having: dict[str, set[str]] = field(default_factory=lambda: {predicate: set() for predicate in _CHECKED})
    facts: dict[str, dict[str, Term]] = field(default_factory=lambda: {predicate: {} for predicate in _FACTS})
    more_facts: list[tuple[str, str, Term]] = field(default_factory=list)
    typed: set[str] = field(default_factory=set)
    """After `finish`: every entry this source types."""
    kept: set[str] = field(default_factory=set)
    """After `finish`: the typed entries whose facts stay."""

    def add(self, subject: str, predicate: str, value: Term) -> None:
        if predicate == _TYPE:
            if isinstance(value, NamedNode) and value.value in _KINDS:
                self.kinds[value.value].add(subject)
            return
        if predicate == _ACTOR:
            self.kinds[_ACTOR].add(subject)
        subjects = self.having.get(predicate)
        if subjects is not None:
            subjects.add(subject)
        facts = self.facts.get(predicate)
        if facts is not None:
            if subject in facts:
                self.more_facts.append((subject, predicate, value))
            else:
                facts[subject] = value

    def statements(self, entities: set[str], into: _Statements) -> None:
        for predicate, subjects in self.having.items():
            for entity in entities & subjects:
                into.having[entity].add(predicate)
        for predicate, facts in self.facts.items():
            for entity in entities & facts.keys():
                into.add(entity, predicate, facts[entity])
        for entity, predicate, value in self.more_facts:
            if entity in entities:
                into.add(entity, predicate, value)

    def lacks(self, entity: str) -> bool:
        """Whether `finish` let this entity's facts go (the store has them, in this source's version)."""
        return entity in self.typed and entity not in self.kept

    def candidates(self) -> set[Candidate]:
        """The candidates of this source."""
        found: set[Candidate] = set()
        for check in CHECKS:
            entries = self.kinds.get(check.kind)
            if not entries:
                continue
            for prop in check.properties:
                entries = entries - self.having.get(prop, set())
            found.update((check.key, entry) for entry in entries)
        return found

    def finish(self, wanted: set[str]) -> set[Candidate]:
        """The candidates of this source; then only the facts that rows will likely need are kept: those of its
        candidates, of `wanted` (other sources' candidates), of spaces and of entities it does not type. An entry
        that is typed here, complete here and a candidate of a source read later (typed there too) is read from
        the store instead (`lacks`). At nation scale this keeps a gigabyte less."""
        found = self.candidates()
        self.typed = set().union(*self.kinds.values())
        keep = wanted | {entry for _, entry in found} | self.kinds.get(_sg("SocialSpace"), set())
        self.kinds.clear()
        self.having = {predicate: {subject for subject in subjects if subject not in self.typed or subject in keep}
                       for predicate, subjects in self.having.items()}
        self.facts = {predicate: {subject: value for subject, value in facts.items()
                                  if subject not in self.typed or subject in keep}
                      for predicate, facts in self.facts.items()}
        self.more_facts = [fact for fact in self.more_facts if fact[0] not in self.typed or fact[0] in keep]
        self.kept = keep & self.typed
        return found


def source_candidates(triples: Iterable[Triple]) -> set[Candidate]:
    entries = SourceEntries()
    for triple in triples:
        subject = triple.subject
        if isinstance(subject, NamedNode):
            entries.add(subject.value, triple.predicate.value, triple.object)
    return entries.candidates()


def candidate_triples(by_source: dict[str, set[Candidate]]) -> list[Triple]:
    """The candidates as literals "check<TAB>entry<TAB>source" of one node, so that no entry gets a derived
    statement of its own; an empty one is there even without candidates, to show the store keeps them."""
    return [Triple(_CANDIDATES, SG.completenessCandidate, Literal(""))] + [
        Triple(_CANDIDATES, SG.completenessCandidate, Literal(f"{key}\t{entry}\t{source}"))
        for source, found in sorted(by_source.items()) for key, entry in sorted(found)]


def kept_candidates(store: GraphStore, current: Mapping[str, GraphInfo],
                    kept: Sequence[GraphInfo]) -> dict[str, set[Candidate]]:
    """The candidates of the sources a change keeps: as stored, or read from the sources themselves in a store
    that does not keep them yet."""
    names = {info.name for info in kept}
    found: dict[str, set[Candidate]] = defaultdict(set)
    stored = current.get(CANDIDATES_GRAPH)
    if stored is None:
        for info in kept:
            found[info.name] = source_candidates(store.backend.graph_triples(info.version))
        return found
    for triple in store.backend.graph_triples(stored.version):
        value = triple.object
        if triple.predicate == SG.completenessCandidate and isinstance(value, Literal) and value.value.count("\t") == 2:
            key, entry, source = value.value.split("\t", 2)
            if source in names:
                found[source].add((key, entry))
    return found


def row_derivations(candidates: dict[str, set[Candidate]],
                    sources: dict[str, SourceEntries]) -> list[tuple[str, bool, Derivation]]:
    """(graph name, internal, derivation) of the answer rows of the public and the planners' view, computed
    inside the write from the sources this change writes (`sources`) and the graphs it keeps."""
    reader = _Reader(sources)
    return [(ROWS_GRAPH, False, _Rows(candidates, PUBLIC_VIEW, reader)),
            (INTERNAL_ROWS_GRAPH, True, _Rows(candidates, PLANNERS_VIEW, reader))]


@dataclass
class _Statements:
    """The statements about the candidates and their spaces in the graphs one view reads."""

    having: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    identifiers: defaultdict[str, set[Literal]] = field(default_factory=lambda: defaultdict(set))
    labels: defaultdict[str, set[Literal]] = field(default_factory=lambda: defaultdict(set))
    located: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, entity: str, predicate: str, value: Term) -> None:
        self.having[entity].add(predicate)
        if predicate == _IDENTIFIER and isinstance(value, Literal):
            self.identifiers[entity].add(value)
        elif predicate == _LABEL and isinstance(value, Literal):
            self.labels[entity].add(value)
        elif predicate in _LOCATED and isinstance(value, NamedNode):
            self.located[entity].add(value.value)


@dataclass
class _Reader:
    """The candidates' statements: from the sources this change writes as they were read, and from the store for
    the graphs it keeps (read once for both views, with the graph each statement is in)."""

    sources: dict[str, SourceEntries]
    read: dict[str, list[tuple[NamedNode, str, Term]]] = field(default_factory=dict)

    def statements(self, store: GraphStore, entities: set[str], visible: Visible,
                   into: _Statements | None = None) -> _Statements:
        """The entities' statements in the graphs of `visible`."""
        statements = into or _Statements()
        written = [entries for name, entries in self.sources.items() if name in visible]
        for entries in written:
            entries.statements(entities, statements)
        kept = {version for name, (version, _) in visible.items()
                if name not in self.sources and not name.startswith("_")}
        # Entries whose facts a written source let go are read from the store in every graph they see.
        forgotten = {entity for entity in entities if any(entries.lacks(entity) for entries in written)}
        reading = entities if kept else forgotten
        if not reading:
            return statements  # a load of every source: nothing to read from the store
        self._read(store, reading - self.read.keys())
        every = {version for version, _ in visible.values()}
        for entity in reading:
            graphs = every if entity in forgotten else kept
            for graph, name, value in self.read.get(entity, ()):
                if graph in graphs:
                    statements.add(entity, name, value)
        return statements

    def _read(self, store: GraphStore, entities: set[str]) -> None:
        ordered = sorted(entities)
        for entity in ordered:
            self.read[entity] = []
        for start in range(0, len(ordered), _CHUNK):
            rows = [{"entity": NamedNode(entity)} for entity in ordered[start:start + _CHUNK]]
            for row in store.backend.select(bind(_STATEMENTS, rows), None).rows:
                graph, subject, predicate, value = (row.get("graph"), row.get("entity"), row.get("property"),
                                                    row.get("value"))
                if (isinstance(graph, NamedNode) and isinstance(subject, NamedNode)
                        and isinstance(predicate, NamedNode) and value is not None):
                    self.read[subject.value].append((graph, predicate.value, value))


@dataclass
class _Rows:
    candidates: dict[str, set[Candidate]]
    view: NamedNode
    reader: _Reader

    def __call__(self, store: GraphStore, visible: Visible) -> list[Triple]:
        planners = self.view == PLANNERS_VIEW
        if planners and not any(internal for name, (_, internal) in visible.items()
                                if not name.startswith(DERIVED_PREFIX)):
            return []  # without internal graphs planners see the public rows
        wanted = {candidate for source, found in self.candidates.items() if source in visible
                  for candidate in found}
        statements = self.reader.statements(store, {entry for _, entry in wanted}, visible)
        spaces = {space for _, entry in wanted for space in statements.located.get(entry, ())}
        self.reader.statements(store, spaces - {entry for _, entry in wanted}, visible, statements)
        triples = _row_triples(_group(wanted, statements), self.view)
        if planners:  # the mark that planners' rows exist, even when there are none: the view points to itself
            triples.append(Triple(PLANNERS_VIEW, SG.completenessView, PLANNERS_VIEW))
        return triples


_Key = tuple[str, str, str | None, Literal | None, Literal | None]
"""(table, field, space, space id, space label)."""


def _group(wanted: set[Candidate], statements: _Statements) -> dict[_Key, set[tuple[str, str]]]:
    """Each incomplete entry under every space it lies in, as the query's rows group them: (entry, id) pairs."""
    groups: dict[_Key, set[tuple[str, str]]] = defaultdict(set)
    for key, entry in wanted:
        check = CHECK_BY_KEY.get(key)
        having = statements.having.get(entry, set())
        if check is None or any(prop in having for prop in check.properties):
            continue
        ids = {identifier.value for identifier in statements.identifiers.get(entry, ())} or {entry.rsplit("/", 1)[-1]}
        places: list[tuple[str | None, Literal | None, Literal | None]] = [
            (space, space_id, label)
            for space in sorted(statements.located.get(entry, ()))
            for space_id in statements.identifiers.get(space, ())
            for label in _or_none(statements.labels.get(space))
        ]
        if not places and check.table == _SPACES_ITSELF:
            places = [(entry, space_id, label)
                      for space_id in _or_none(statements.identifiers.get(entry))
                      for label in _or_none(statements.labels.get(entry))]
        for space, space_id, label in places or [(None, None, None)]:
            groups[(check.table, check.missing, space, space_id, label)].update((entry, id_) for id_ in ids)
    return groups


def _or_none(values: set[Literal] | None) -> Sequence[Literal | None]:
    return sorted(values, key=str) if values else [None]


def _row_triples(groups: dict[_Key, set[tuple[str, str]]], view: NamedNode) -> list[Triple]:
    triples: list[Triple] = []
    for (table, missing, space, space_id, label), entries in sorted(groups.items(), key=lambda item: str(item[0])):
        digest = hashlib.sha256(f"{view.value} {table} {missing} {space} {space_id} {label}".encode()).hexdigest()
        row = NamedNode(_ROW_PREFIX + digest[:32])
        triples += [
            Triple(row, SG.completenessView, view),
            Triple(row, SG.completenessTable, Literal(table)),
            Triple(row, SG.completenessField, Literal(missing)),
            Triple(row, SG.incompleteEntries,
                   Literal(str(len({entry for entry, _ in entries})), datatype=XSD.integer)),
            Triple(row, SG.incompleteEntryIds, Literal(";".join(sorted({id_ for _, id_ in entries})))),
        ]
        if space is not None:
            triples.append(Triple(row, SG.completenessSpace, NamedNode(space)))
        if space_id is not None:
            triples.append(Triple(row, SG.completenessSpaceId, space_id))
        if label is not None:
            triples.append(Triple(row, SG.completenessSpaceLabel, label))
    return triples
