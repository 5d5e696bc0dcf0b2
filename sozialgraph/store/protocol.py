"""SPARQL 1.1 Protocol, Update and Graph Store Protocol over HTTP, with errors a planner can read.

Every network or HTTP failure becomes a `ServerError` naming the server's URL and what to check, never a traceback.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from sozialgraph.errors import SozialgraphError

# Longer GET URLs are cut by proxies and some servers (Virtuoso, Tomcat); above this we POST the form instead.
MAX_GET_URL = 2000
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class ServerError(SozialgraphError):
    """The SPARQL server could not be reached, or refused or failed a request."""


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = None
    token: str | None = None


class ChallengeAuth(httpx.Auth):
    """User and password for Basic or Digest, whichever the server asks for (Virtuoso's `-auth` endpoints want
    Digest, Fuseki and GraphDB Basic); the scheme is remembered, so later requests carry it from the start."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme is not None:
            yield from self._scheme.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").casefold()
        if challenge.startswith("digest"):
            self._scheme = self._digest
        elif challenge.startswith("basic"):
            self._scheme = self._basic
        else:
            return
        yield from self._scheme.auth_flow(request)


def _auth(credentials: Credentials) -> httpx.Auth | None:
    if credentials.token:
        return None
    if credentials.user:
        return ChallengeAuth(credentials.user, credentials.password or "")
    return None


class SparqlClient:
    def __init__(self, query_url: str, update_url: str | None, store_url: str | None,
                 credentials: Credentials | None = None, timeout: float = 600.0) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        credentials = credentials or Credentials()
        headers = {"Authorization": f"Bearer {credentials.token}"} if credentials.token else {}
        self._http = httpx.Client(auth=_auth(credentials), headers=headers,
                                  timeout=httpx.Timeout(timeout, connect=10.0))

    # --- SPARQL 1.1 Protocol -------------------------------------------------------------------------------
    def query(self, text: str, accept: str, default_graphs: Sequence[str] = (),
              named_graphs: Sequence[str] = ()) -> httpx.Response:
        params: dict[str, str | list[str]] = {"query": text}
        if default_graphs:
            params["default-graph-uri"] = list(default_graphs)
        if named_graphs:
            params["named-graph-uri"] = list(named_graphs)
        url = httpx.URL(self.query_url, params=params)
        headers = {"Accept": accept}
        if len(str(url)) <= MAX_GET_URL:
            return self._send("GET", self.query_url, "Abfrage", params=params, headers=headers)
        return self._send("POST", self.query_url, "Abfrage", data=params, headers=headers)

    def update(self, text: str) -> None:
        url = self._require(self.update_url, "SOZIALGRAPH_UPDATE_ENDPOINT", "ändern")
        self._send("POST", url, "Änderung", data={"update": text})

    # --- Graph Store Protocol ------------------------------------------------------------------------------
    def post_graph(self, graph: str, body: bytes, content_type: str = N_TRIPLES) -> None:
        url = self._require(self.store_url, "SOZIALGRAPH_STORE_ENDPOINT", "Graphen schreiben")
        self._send("POST", url, "Graph schreiben", params={"graph": graph}, content=body,
                   headers={"Content-Type": content_type})

    @contextmanager
    def get_graph(self, graph: str) -> Iterator[Iterator[bytes] | None]:
        """The graph's N-Triples as a byte stream, or None when the server has no such graph."""
        url = self._require(self.store_url, "SOZIALGRAPH_STORE_ENDPOINT", "Graphen lesen")
        try:
            with self._http.stream("GET", url, params={"graph": graph}, headers={"Accept": N_TRIPLES}) as response:
                if response.status_code == 404:
                    yield None
                    return
                if response.status_code >= 400:
                    response.read()
                    raise _refused(url, "Graph lesen", response)
                yield _guarded(response.iter_bytes(), url)
        except httpx.HTTPError as error:
            raise _unreachable(url, error) from None

    def close(self) -> None:
        self._http.close()

    # --- helpers -------------------------------------------------------------------------------------------
    def _send(self, method: str, url: str, what: str, **kwargs: object) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as error:
            raise _unreachable(url, error) from None
        if response.status_code >= 400:
            raise _refused(url, what, response)
        return response

    @staticmethod
    def _require(url: str | None, variable: str, action: str) -> str:
        if url is None:
            raise ServerError(f"Für den SPARQL-Server ist keine Adresse zum {action} eingestellt. Setzen Sie "
                              f"{variable} oder nutzen Sie --server ART URL.")
        return url


def _guarded(chunks: Iterator[bytes], url: str) -> Iterator[bytes]:
    try:
        yield from chunks
    except httpx.HTTPError as error:
        raise _unreachable(url, error) from None


def _unreachable(url: str, error: httpx.HTTPError) -> ServerError:
    if isinstance(error, httpx.TimeoutException):
        return ServerError(f"Der SPARQL-Server {url} antwortet nicht rechtzeitig ({type(error).__name__}).")
    if isinstance(error, httpx.ConnectError):
        return ServerError(f"Der SPARQL-Server {url} ist nicht erreichbar ({error}). Läuft er, und stimmt die "
                           "Adresse?")
    return ServerError(f"Die Verbindung zum SPARQL-Server {url} ist abgebrochen ({error or type(error).__name__}).")


def _refused(url: str, what: str, response: httpx.Response) -> ServerError:
    status = response.status_code
    detail = " ".join(response.text.split())[:300]
    if status == 401:
        hint = ("verlangt eine Anmeldung oder lehnt sie ab. Setzen Sie SOZIALGRAPH_USER und SOZIALGRAPH_PASSWORD "
                "(oder SOZIALGRAPH_TOKEN)")
    elif status == 403:
        hint = "verweigert dem angemeldeten Benutzer diese Aktion"
    elif status == 404:
        hint = "kennt diese Adresse nicht – stimmt der Endpunkt?"
    elif status == 413:
        hint = "nimmt so große Anfragen nicht an"
    else:
        hint = "hat die Anfrage abgelehnt"
    message = f"Der SPARQL-Server {url} {hint} (HTTP {status}, {what})"
    return ServerError(message + (f": {detail}" if detail and status not in (401,) else "."))
