"""Code lists read from the SKOS schemes in ontology/codes at start-up.

The loaders accept a code (`skos:notation`) or any of its German labels; everything else is refused with the
list of allowed codes. Nothing here hard-codes a code: the Turtle files are the single source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from sozialgraph.namespaces import CODE_BASE, SG, SKOS
from sozialgraph.paths import ontology_dir


@dataclass
class Code:
    notation: str
    iri: NamedNode
    label_de: str
    actor_class: NamedNode | None = None


@dataclass
class CodeList:
    scheme: str
    codes: dict[str, Code] = field(default_factory=dict)
    _by_label: dict[str, str] = field(default_factory=dict)

    def lookup(self, value: str) -> Code | None:
        """A code by notation (case-insensitive) or by any German label."""
        text = value.strip()
        if text in self.codes:
            return self.codes[text]
        notation = self._by_label.get(text.casefold())
        return self.codes[notation] if notation else None

    def allowed(self) -> list[str]:
        return [f"{c.notation} ({c.label_de})" if c.label_de != c.notation else c.notation
                for c in self.codes.values()]

    def add_label(self, label: str, notation: str) -> None:
        self._by_label.setdefault(label.casefold(), notation)


def vocabulary_files() -> list[Path]:
    root = ontology_dir()
    return sorted([*root.glob("*.ttl"), *(root / "codes").glob("*.ttl")])


@lru_cache(maxsize=1)
def code_lists() -> dict[str, CodeList]:
    notations: dict[str, str] = {}
    schemes: dict[str, str] = {}
    labels: dict[str, list[tuple[str, str]]] = {}
    actor_classes: dict[str, NamedNode] = {}
    for path in sorted((ontology_dir() / "codes").glob("*.ttl")):
        with path.open("rb") as stream:
            for triple in parse(stream, format=RdfFormat.TURTLE):
                subject, predicate, obj = triple.subject, triple.predicate, triple.object
                if not isinstance(subject, NamedNode) or not subject.value.startswith(CODE_BASE):
                    continue
                if predicate == SKOS.notation and isinstance(obj, Literal):
                    notations[subject.value] = obj.value
                elif predicate == SG.actorClass and isinstance(obj, NamedNode):
                    actor_classes[subject.value] = obj
                elif predicate == SKOS.inScheme and isinstance(obj, NamedNode):
                    schemes[subject.value] = obj.value.removeprefix(CODE_BASE)
                elif (predicate in (SKOS.prefLabel, SKOS.altLabel) and isinstance(obj, Literal)
                      and obj.language in ("de", None)):
                    preferred = "0" if predicate == SKOS.prefLabel else "1"
                    labels.setdefault(subject.value, []).append((preferred, obj.value))
    result: dict[str, CodeList] = {}
    for iri, scheme in schemes.items():
        notation = notations.get(iri)
        if notation is None:
            continue
        own = sorted(labels.get(iri, []))
        label_de = own[0][1] if own else notation
        code_list = result.setdefault(scheme, CodeList(scheme))
        code_list.codes[notation] = Code(notation, NamedNode(iri), label_de, actor_classes.get(iri))
    for iri, scheme in schemes.items():
        notation = notations.get(iri)
        if notation is None:
            continue
        code_list = result[scheme]
        code_list.add_label(notation, notation)
        for _, label in labels.get(iri, []):
            code_list.add_label(label, notation)
    for code_list in result.values():
        code_list.codes = dict(sorted(code_list.codes.items(), key=lambda item: _natural(item[0])))
    return result


def _natural(text: str) -> tuple[str, int]:
    digits = "".join(ch for ch in text if ch.isdigit())
    return (text.rstrip("0123456789"), int(digits) if digits else 0)


def code_list(scheme: str) -> CodeList:
    lists = code_lists()
    if scheme not in lists:
        raise KeyError(f"code list {scheme!r} missing from ontology/codes")
    return lists[scheme]
