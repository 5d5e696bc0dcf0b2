"""Publication of the public graph as linked open data: DCAT-AP.de catalogue, dumps, tables, HSDS, entity pages.

`publish()` writes a folder any plain web server can serve; `check_publication()` re-validates such a folder.
"""

from sozialgraph.publish.build import PublishOptions, PublishReport, publish
from sozialgraph.publish.check import CheckReport, check_publication

__all__ = ["CheckReport", "PublishOptions", "PublishReport", "check_publication", "publish"]
