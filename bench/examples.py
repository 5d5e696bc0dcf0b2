"""Values for the parameters a saved query requires, so every benchmark runs the whole catalogue."""

from __future__ import annotations

from collections.abc import Mapping

from sozialgraph.catalog import SavedQuery

CODE_EXAMPLES = {"target_group": "kinder", "indicator": "einwohner-unter-18"}
"""Codes with data behind them where the first code of the list has none."""
ERFURT_ENTITIES = {"actor": "awo", "space": "erfurt"}
GENERATED_ENTITIES = {"actor": "m001-tr-0001", "space": "m001"}
"""Ids `bench/generate.py` gives at every scale: the first provider and the first municipality."""


def example_values(query: SavedQuery, entities: Mapping[str, str]) -> dict[str, str]:
    """A value for each required parameter; the others keep their defaults. A new entity kind fails loudly."""
    values = {}
    for param in query.params:
        if not param.required:
            continue
        if param.type == "entity":
            values[param.name] = entities[param.kind or ""]
        else:
            values[param.name] = CODE_EXAMPLES.get(param.name) or param.allowed_values()[0]
    return values
