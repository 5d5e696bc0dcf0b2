"""SPARQL 1.1 Protocol, Update and Graph Store Protocol over HTTP, with errors a planner can read.

Every network or HTTP failure becomes a `ServerError` naming the server's URL and what to check, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from sozialgraph.errors import SozialgraphError

# Longer GET URLs are cut by proxies and some servers (Virtuoso, Tomcat); above this we POST the form instead.
MAX_GET_URL = 2000
RESULTS_JSON = "application/sparql-results+json"
_HTML_TAG = re.compile(r"<!\w[^>]*>|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")  # not <http://…>, which it may quote
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
        self.server = ""
        """The software of the server as its last answer named it, e.g. `Oxigraph/0.5.13`, `Virtuoso/07.20.3229`."""
        credentials = credentials or Credentials()
        headers = {"Authorization": f"Bearer {credentials.token}"} if credentials.token else {}
        self._http = httpx.Client(auth=_auth(credentials), headers=headers,
                                  timeout=httpx.Timeout(timeout, connect=10.0))

    # --- SPARQL 1.1 Protocol -------------------------------------------------------------------------------
    def query(self, text: str, accept: str, default_graphs: Sequence[str] = (),
              named_graphs: Sequence[str] = ()) -> httpx.Response:
        with self.stream_query(text, accept, default_graphs, named_graphs) as response:
            response.read()
            return response

    @contextmanager
    def stream_query(self, text: str, accept: str, default_graphs: Sequence[str] = (),
                     named_graphs: Sequence[str] = ()) -> Iterator[httpx.Response]:
        """The answer as it arrives; read it inside the `with`, where a broken connection becomes a ServerError."""
        params: dict[str, str | list[str]] = {"query": text}
        if default_graphs:
            params["default-graph-uri"] = list(default_graphs)
        if named_graphs:
            params["named-graph-uri"] = list(named_graphs)
        headers = {"Accept": accept}
        if len(str(httpx.URL(self.query_url, params=params))) <= MAX_GET_URL:
            request = self._http.build_request("GET", self.query_url, params=params, headers=headers)
        else:
            request = self._http.build_request("POST", self.query_url, data=params, headers=headers)
        with self._open(request, "Abfrage") as response:
            _check_complete(self.query_url, response)
            yield response

    def update(self, text: str) -> None:
        url = self._require(self.update_url, "SOZIALGRAPH_UPDATE_ENDPOINT", "Ändern")
        self._send(self._http.build_request("POST", url, data={"update": text}), "Änderung")

    # --- Graph Store Protocol ------------------------------------------------------------------------------
    def post_graph(self, graph: str, body: bytes, fresh: bool = False) -> None:
        """Add N-Triples to a graph. `fresh`: nobody reads the graph yet, so the server may skip its transaction
        (Oxigraph's `no_transaction` bulk loader, several times faster)."""
        url = self._require(self.store_url, "SOZIALGRAPH_STORE_ENDPOINT", "Schreiben von Graphen")
        params = {"graph": graph}
        if fresh and self.server.startswith("Oxigraph"):
            params["no_transaction"] = ""
        request = self._http.build_request("POST", url, params=params, content=body,
                                           headers={"Content-Type": N_TRIPLES})
        self._send(request, "Graph schreiben")

    def close(self) -> None:
        self._http.close()

    # --- helpers -------------------------------------------------------------------------------------------
    def _send(self, request: httpx.Request, what: str) -> None:
        with self._open(request, what) as response:
            response.read()

    @contextmanager
    def _open(self, request: httpx.Request, what: str) -> Iterator[httpx.Response]:
        url = str(request.url.copy_with(query=None))
        try:
            response = self._http.send(request, stream=True)
        except httpx.HTTPError as error:
            raise _unreachable(url, error) from None
        self.server = response.headers.get("server", self.server)
        try:
            if response.status_code >= 400:
                response.read()
                raise _refused(url, what, response)
            yield response  # errors while the caller reads it arrive here too
        except httpx.HTTPError as error:
            raise _unreachable(url, error) from None
        finally:
            response.close()

    @staticmethod
    def _require(url: str | None, variable: str, action: str) -> str:
        if url is None:
            raise ServerError(f"Für den SPARQL-Server ist keine Adresse zum {action} eingestellt. Setzen Sie "
                              f"{variable} oder nutzen Sie --server ART URL.")
        return url


def _check_complete(url: str, response: httpx.Response) -> None:
    """Virtuoso answers some requests only in part and says so in a header alone; a part must not pass as all."""
    if response.headers.get("x-sql-state") == "S1TAT":
        raise ServerError(
            f"Der SPARQL-Server {url} hat die Abfrage nach seiner Zeitgrenze abgebrochen und nur ein Teilergebnis "
            "geliefert. Erhöhen Sie bei Virtuoso in virtuoso.ini im Abschnitt [SPARQL] MaxQueryExecutionTime.")
    limit = response.headers.get("x-sparql-maxrows")
    if limit is not None:
        raise ServerError(
            f"Der SPARQL-Server {url} liefert höchstens {limit} Zeilen je Antwort, und diese Antwort hat die Grenze "
            "erreicht: sie wäre unvollständig. Erhöhen Sie bei Virtuoso in virtuoso.ini im Abschnitt [SPARQL] den "
            "Wert ResultSetMaxRows (z. B. auf 10000000) und starten Sie den Server neu.")


def _unreachable(url: str, error: httpx.HTTPError) -> ServerError:
    if isinstance(error, httpx.TimeoutException):
        return ServerError(f"Der SPARQL-Server {url} antwortet nicht rechtzeitig ({type(error).__name__}).")
    if isinstance(error, httpx.ConnectError):
        return ServerError(f"Der SPARQL-Server {url} ist nicht erreichbar ({error}). Läuft er, und stimmt die "
                           "Adresse?")
    return ServerError(f"Die Verbindung zum SPARQL-Server {url} ist abgebrochen ({error or type(error).__name__}).")


def _refused(url: str, what: str, response: httpx.Response) -> ServerError:
    status = response.status_code
    text = response.text
    if "html" in response.headers.get("content-type", ""):
        text = _HTML_TAG.sub(" ", text)  # Virtuoso wraps its messages in an HTML page
    detail = " ".join(text.split())[:300]
    advice = ""
    if status == 401:
        hint, detail = "verlangt eine Anmeldung oder lehnt sie ab", ""
        advice = " Setzen Sie SOZIALGRAPH_USER und SOZIALGRAPH_PASSWORD (oder SOZIALGRAPH_TOKEN)."
    elif status == 403:
        hint = "verweigert dem angemeldeten Benutzer diese Aktion"
    elif status == 404:
        hint, advice = "kennt diese Adresse nicht", " Stimmt der Endpunkt?"
    elif status == 413:
        hint = "nimmt so große Anfragen nicht an"
    elif "estimated execution time" in detail:
        hint = "lehnt die Abfrage nach seiner Kostenschätzung ab"
        advice = " Bei Virtuoso: MaxQueryCostEstimationTime in virtuoso.ini auskommentieren, wie OpenLink empfiehlt."
    else:
        hint = "hat die Anfrage abgelehnt"
    message = f"Der SPARQL-Server {url} {hint} (HTTP {status}, {what})" + (f": {detail}" if detail else "")
    return ServerError(message.rstrip(".") + "." + advice)
