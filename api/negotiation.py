"""HTTP content negotiation: the best of the offered media types for an Accept header.

Written here rather than taken from a library because it is twenty lines and the app needs nothing else
from a web toolkit (Starlette has no Accept parser).
"""

from __future__ import annotations

from collections.abc import Sequence


def _parse(header: str) -> list[tuple[str, float, int]]:
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [field.strip() for field in part.split(";")]
        media = fields[0].casefold()
        if not media:
            continue
        quality = 1.0
        for field in fields[1:]:
            key, _, value = field.partition("=")
            if key.strip().casefold() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality, position))
    return ranges


def _specificity(media_range: str, offered: str) -> int | None:
    if media_range == offered:
        return 3
    kind, _, _ = offered.partition("/")
    if media_range == f"{kind}/*":
        return 2
    if media_range == "*/*":
        return 1
    return None


def best_match(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered type the client prefers most; the first offered on a tie; None if none is acceptable."""
    if not accept or not accept.strip():
        return offered[0] if offered else None
    ranges = _parse(accept)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for index, media in enumerate(offered):
        quality = None
        specificity = 0
        for media_range, q, _ in ranges:
            level = _specificity(media_range, media.casefold())
            if level is not None and level > specificity:
                specificity, quality = level, q
        if quality is None or quality <= 0:
            continue
        key = (quality, specificity, -index)
        if best is None or key > best:
            best, chosen = key, media
    return chosen
