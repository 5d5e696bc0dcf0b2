"""Class breaks and a German legend for a choropleth map.

Written here rather than taken from mapclassify: that library pulls in numpy, pandas, scipy and scikit-learn for
what is, at a few hundred spaces, a sort and `statistics.quantiles`.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
"""ColorBrewer YlOrRd, 5 classes: light = little, dark red = much (many gaps, high rate)."""
MISSING_COLOUR = "#cfd4da"
MISSING_LABEL = "keine Angabe"
MAX_CLASSES = len(PALETTE)


@dataclass(frozen=True)
class MapClass:
    low: float
    high: float
    colour: str
    label: str

    def as_dict(self) -> dict[str, object]:
        return {"von": self.low, "bis": self.high, "farbe": self.colour, "text": self.label}


def german_number(value: float) -> str:
    """78400 -> '78.400', 6.6 -> '6,6' (at most two decimals)."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _colours(count: int) -> list[str]:
    if count == 1:
        return [PALETTE[0]]
    return [PALETTE[round(i * (MAX_CLASSES - 1) / (count - 1))] for i in range(count)]


def _nearest_at_or_above(distinct: Sequence[float], cut: float) -> float:
    """The smallest value at or above a quantile cut, so that class limits are values that occur."""
    return next((value for value in distinct if value >= cut), distinct[-1])


def classify(values: Sequence[float]) -> list[MapClass]:
    """One class per distinct value when there are few, otherwise quantile classes (about equal numbers of spaces)."""
    distinct = sorted(set(values))
    if not distinct:
        return []
    if len(distinct) <= MAX_CLASSES:
        return [MapClass(v, v, c, german_number(v)) for v, c in zip(distinct, _colours(len(distinct)), strict=True)]
    cuts = statistics.quantiles(values, n=MAX_CLASSES, method="inclusive")
    uppers = sorted({_nearest_at_or_above(distinct, cut) for cut in cuts} | {distinct[-1]})
    classes: list[MapClass] = []
    low = distinct[0]
    for upper, colour in zip(uppers, _colours(len(uppers)), strict=True):
        members = [v for v in distinct if low <= v <= upper]
        label = german_number(members[0]) if members[0] == members[-1] else \
            f"{german_number(members[0])} – {german_number(members[-1])}"
        classes.append(MapClass(members[0], members[-1], colour, label))
        above = [v for v in distinct if v > upper]
        if not above:
            break
        low = above[0]
    return classes


def class_of(value: float | None, classes: Sequence[MapClass]) -> MapClass | None:
    if value is None:
        return None
    for item in classes:
        if value <= item.high:
            return item
    return classes[-1] if classes else None
