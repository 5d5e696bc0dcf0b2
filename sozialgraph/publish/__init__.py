"""Publication of the public graph as linked open data: DCAT-AP.de catalogue, dumps, tables, HSDS, entity pages.

`publish()` writes a folder any plain web server can serve; `check_publication()` re-validates such a folder.
The check is imported on first use: it brings pySHACL and the JSON-schema tooling, which publishing does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sozialgraph.publish.build import PublishOptions, PublishReport, publish

if TYPE_CHECKING:
    from sozialgraph.publish.check import CheckReport, check_publication

__all__ = ["CheckReport", "PublishOptions", "PublishReport", "check_publication", "publish"]


def __getattr__(name: str) -> Any:
    if name in ("CheckReport", "check_publication"):
        from sozialgraph.publish import check

        return getattr(check, name)
    raise AttributeError(name)
