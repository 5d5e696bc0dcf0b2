"""Display names for IRIs: German labels from the data and the vocabulary, else a short form of the IRI."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Store

from sozialgraph.publish.queries import select


class Labels:
    def __init__(self, store: Store, prefixes: dict[str, str]) -> None:
        self._labels: dict[str, str] = {}
        german: set[str] = set()
        for row in select(store, "labels"):
            resource, label = row.get("resource"), row.get("label")
            if not isinstance(resource, NamedNode) or not isinstance(label, Literal):
                continue
            key = resource.value
            is_german = label.language == "de"
            if key in german and not is_german:
                continue
            if key not in self._labels or (is_german and key not in german) or label.value < self._labels[key]:
                self._labels[key] = label.value
                if is_german:
                    german.add(key)
        # Longest namespace first, so `offer:` wins over `id:`.
        self._prefixes = sorted(prefixes.items(), key=lambda item: len(item[1]), reverse=True)

    def curie(self, iri: str) -> str:
        for prefix, namespace in self._prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def get(self, iri: str) -> str:
        return self._labels.get(iri) or self.curie(iri)

    def known(self, iri: str) -> bool:
        return iri in self._labels
