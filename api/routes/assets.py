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
}
"""URL name under /assets/vendor/ -> path under node_modules. Add a line here for each new package file."""
MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


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
