"""Where the official shapes and schemas are: the DCAT-AP.de SHACL files and the HSDS JSON schemas.

They are other people's files and stay unchanged in the project's `shared/peers/` folder (found next to the
project or above it), or wherever `SOZIALGRAPH_PEERS` points.
"""

from __future__ import annotations

import os
from pathlib import Path

from sozialgraph.errors import SozialgraphError
from sozialgraph.paths import project_root

DCAT_SHAPES = Path("dcat-ap-de", "v3.0", "shacl")
HSDS_SCHEMAS = Path("hsds", "3.0", "schema")
# The imports file only names remote vocabularies (owl:imports); the catalogue describes the concepts it uses.
DCAT_SHAPE_FILES = (
    "dcat-ap-SHACL-DE.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-controlledvocabularies.ttl",
    "dcat-ap-de-deprecated.ttl",
)


def peers_dir() -> Path:
    override = os.environ.get("SOZIALGRAPH_PEERS")
    candidates = [Path(override)] if override else [
        folder / "shared" / "peers" for folder in [project_root(), *project_root().parents]
    ]
    for candidate in candidates:
        if (candidate / DCAT_SHAPES).is_dir():
            return candidate
    raise SozialgraphError(
        "Die DCAT-AP.de-Shapes und HSDS-Schemas wurden nicht gefunden (Ordner shared/peers/ mit "
        f"{DCAT_SHAPES} und {HSDS_SCHEMAS}). Bitte SOZIALGRAPH_PEERS auf diesen Ordner setzen."
    )


def dcat_shape_files(peers: Path | None = None) -> list[Path]:
    folder = (peers or peers_dir()) / DCAT_SHAPES
    return [folder / name for name in DCAT_SHAPE_FILES]


def hsds_schema_dir(peers: Path | None = None) -> Path:
    return (peers or peers_dir()) / HSDS_SCHEMAS
