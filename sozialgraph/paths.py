"""Where the shipped vocabulary, shapes and saved queries live.

They are top-level folders of the repository (the users asked for that layout), so the package finds them
next to itself; `SOZIALGRAPH_HOME` points elsewhere for installations that keep them apart.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    override = os.environ.get("SOZIALGRAPH_HOME")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent


def ontology_dir() -> Path:
    return project_root() / "ontology"


def shapes_dir() -> Path:
    return project_root() / "shapes"


def queries_dir() -> Path:
    return project_root() / "queries"


def data_dir() -> Path:
    return project_root() / "data"
