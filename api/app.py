"""The web app and API (FastAPI)."""

from __future__ import annotations

from fastapi import FastAPI

from sozialgraph import __version__
from sozialgraph.store import GraphStore


def create_app(store: GraphStore) -> FastAPI:
    app = FastAPI(title="sozialgraph", version=__version__)
    app.state.store = store

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        return {"status": "ok", "graphs": len(store.graphs())}

    return app
