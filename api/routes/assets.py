"""Front-end packages from npm, served from node_modules by an explicit allow-list (no other file is reachable)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.errors import Problem
from sozialgraph.paths import project_root

router = APIRouter(include_in_schema=False)

VENDOR_FILES: dict[str, str] = {
    "yasgui/yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui/yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "cytoscape/cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "cytoscape/layout-base.js": "layout-base/layout-base.js",
    "cytoscape/cose-base.js": "cose-base/cose-base.js",
    "cytoscape/cytoscape-fcose.js": "cytoscape-fcose/cytoscape-fcose.js",
    "cytoscape/cytoscape-svg.js": "cytoscape-svg/cytoscape-svg.js",
}
"""URL name under /assets/vendor/ -> path under node_modules. Add a line here for each new package file."""
MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
MEDIA[".png"] = "image/png"


def node_modules() -> Path:
    return project_root() / "node_modules"


@router.get("/assets/vendor/{name:path}")
def vendor(name: str) -> FileResponse:
    relative = VENDOR_FILES.get(name)
    if relative is None:
        raise Problem(404, f"Die Datei {name} wird nicht ausgeliefert.")
    path = node_modules() / relative
    if not path.is_file():
        raise Problem(404, f"{relative} fehlt: die Front-end-Pakete sind nicht installiert (make setup, npm ci).")
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"),
                        headers={"Cache-Control": "public, max-age=86400"})
