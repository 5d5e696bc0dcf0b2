"""`POST /api/sources` (upload, with dry run) and `DELETE /api/sources/{name}`: editors only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from api import uploads
from api.auth import Access, require_editor
from api.context import context
from api.errors import Problem
from api.sniffing import check_content
from sozialgraph.space_closure import DERIVED_GRAPHS, drop_sources
from sozialgraph.store.graphs import VOCABULARY_GRAPH

router = APIRouter(prefix="/api", tags=["Quellen"])
Editor = Annotated[Access, Depends(require_editor)]


async def _read_limited(upload: UploadFile, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise Problem(413, f"Die Datei ist größer als {limit // (1024 * 1024)} MB.")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/sources",
    summary="Quelle hochladen (Tabelle oder RDF-Datei); mit dry_run nur prüfen",
    description="Multipart-Formular: `file` (CSV, XLSX oder RDF), optional `name` (Name der Quelle; eine "
                "vorhandene Quelle gleichen Namens wird ersetzt; Standard: der Dateiname), `kind` "
                "(Tabellenart, falls nicht am Dateinamen erkennbar), `internal` (ganze Quelle intern), "
                "`dry_run` (nur prüfen: zeigt, was sich ändern würde, und das Prüfergebnis). "
                "Braucht `Authorization: Bearer <Bearbeitungs-Token>`.",
)
async def upload_source(
    request: Request,
    _: Editor,
    file: Annotated[UploadFile, File(description="die Datei")],
    name: Annotated[str | None, Form()] = None,
    kind: Annotated[str | None, Form()] = None,
    internal: Annotated[bool, Form()] = False,
    dry_run: Annotated[bool, Form()] = False,
) -> dict[str, object]:
    ctx = context(request)
    file_name = uploads.check_file_name(file.filename or "")
    graph_name = uploads.check_graph_name(name or file_name)
    data = await _read_limited(file, ctx.settings.max_upload_bytes)
    if not data:
        raise Problem(400, f"{file_name}: die Datei ist leer.")
    check_content(file_name, data)

    def work() -> dict[str, object]:
        with uploads.saved_upload(file_name, data) as path, ctx.write_lock:
            plan = uploads.plan(ctx.store, path, graph_name, kind or None, internal)
            if not dry_run:
                uploads.commit(ctx.store, path, graph_name, kind or None, internal)
                plan.committed = True
            return plan.as_dict()

    return await run_in_threadpool(work)


@router.delete("/sources/{name:path}", summary="Quelle löschen (mit ihrem internen Teil)")
def delete_source(request: Request, name: str, _: Editor) -> dict[str, object]:
    ctx = context(request)
    if name == VOCABULARY_GRAPH:
        raise Problem(400, "Das Vokabular (_vocabulary) gehört zur Anwendung und lässt sich nicht löschen.")
    if name in DERIVED_GRAPHS:
        raise Problem(400, f"'{name}' wird aus den Räumen abgeleitet und lässt sich nicht löschen; er ändert sich "
                      "mit den Quellen der Räume.")
    with ctx.write_lock:
        existing = {info.name for info in ctx.store.graphs()}
        if name not in existing:
            raise Problem(404, f"Die Quelle '{name}' gibt es nicht. Vorhandene Quellen: GET /api/sources")
        dropped = drop_sources(ctx.store, [name, name + "/internal"])
    return {"deleted": dropped}
