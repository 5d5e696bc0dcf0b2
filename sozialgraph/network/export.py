"""The network as files: GraphML and GEXF (Gephi, yEd), Cytoscape.js JSON (the page), CSV node and edge lists.

Every format carries the same node and edge attributes (`analyse` wrote the metrics onto the graph); list values
are `;`-joined strings so GraphML and GEXF can hold them.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import networkx as nx

from sozialgraph.errors import SozialgraphError
from sozialgraph.network.build import PLAN_KIND
from sozialgraph.network.metrics import NetworkMetrics
from sozialgraph.results import safe_cell
from sozialgraph.vocabulary import code_list

FORMATS = ("text", "json", "graphml", "gexf", "csv")
# Okabe–Ito: distinguishable with the common colour-vision deficiencies, and in print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
NODE_COLUMNS = ("id", "identifier", "label", "kind", "kind_label", "fields", "degree", "degree_centrality",
                "betweenness", "community", "articulation_point", "isolate", "silo", "reached_departments",
                "bipartite", "iri")
EDGE_COLUMNS = ("source", "target", "kind", "kind_label", "weight", "fields", "plans", "member_of", "bridge")
CSV_NAMES = ("knoten.csv", "kanten.csv")


def kind_order() -> list[str]:
    """Actor kinds by code, then plans: a fixed order, so a kind keeps its colour in every data set."""
    return [*sorted(code_list("actor-kind").codes), PLAN_KIND]


def colour_of(kind: str) -> str:
    order = kind_order()
    return PALETTE[order.index(kind) % len(PALETTE)] if kind in order else PALETTE[-1]


def legend(graph: nx.Graph) -> list[dict[str, str]]:
    labels = {data["kind"]: data["kind_label"] for _, data in graph.nodes(data=True)}
    order = kind_order()
    return [{"kind": kind, "label": labels[kind], "color": colour_of(kind)}
            for kind in sorted(labels, key=lambda k: (order.index(k) if k in order else len(order), k))]


def to_graphml(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def to_gexf(graph: nx.Graph) -> bytes:
    """GEXF with Gephi's `viz` colour by kind and size by betweenness, so the first view in Gephi is already
    readable."""
    copy = graph.copy()
    top = max((data.get("betweenness", 0.0) for _, data in copy.nodes(data=True)), default=0.0) or 1.0
    for _, data in copy.nodes(data=True):
        red, green, blue = (int(colour_of(data["kind"])[i : i + 2], 16) for i in (1, 3, 5))
        data["viz"] = {"color": {"r": red, "g": green, "b": blue, "a": 1.0},
                       "size": 10.0 + 40.0 * data.get("betweenness", 0.0) / top}
    buffer = io.BytesIO()
    nx.write_gexf(copy, buffer, encoding="utf-8")
    return buffer.getvalue()


def summary(graph: nx.Graph, metrics: NetworkMetrics, brokers: int = 10) -> dict[str, object]:
    def named(key: str) -> dict[str, str]:
        data = graph.nodes[key]
        return {"id": key, "identifier": data["identifier"], "label": data["label"], "kind": data["kind"]}

    return {
        "nodes": metrics.nodes,
        "edges": metrics.edges,
        "projection": graph.graph.get("projection"),
        "betweenness_samples": metrics.betweenness_samples,
        "communities": len(metrics.communities),
        "silos": [named(key) for key in metrics.silos],
        "brokers": [{**named(key), "betweenness": graph.nodes[key]["betweenness"]}
                    for key in metrics.brokers[:brokers]],
        "bridges": [[named(a), named(b)] for a, b in metrics.bridges],
        "isolates": [named(key) for key in metrics.isolates],
        "fields_without_forum": metrics.fields_without_forum,
    }


def to_cytoscape(graph: nx.Graph, metrics: NetworkMetrics) -> dict[str, object]:
    """Cytoscape.js elements (`elements.nodes[].data`, `elements.edges[].data`) as networkx writes them, plus
    the legend, the fields of action with their German names and a summary for the page."""
    data = nx.cytoscape_data(graph, name="label")
    for node in data["elements"]["nodes"]:
        node["data"]["color"] = colour_of(node["data"]["kind"])
    fields = code_list("field-of-action")
    data["legend"] = legend(graph)
    edge_kinds = {kind: label for _, _, edge in graph.edges(data=True)
                  for kind, label in zip(edge["kind"].split(";"), edge["kind_label"].split("; "), strict=True)}
    data["edge_kinds"] = [{"kind": kind, "label": edge_kinds[kind]} for kind in sorted(edge_kinds)]
    data["fields_of_action"] = [{"code": code, "label": fields.codes[code].label_de} for code in sorted(fields.codes)]
    data["summary"] = summary(graph, metrics)
    return data


def to_json(graph: nx.Graph, metrics: NetworkMetrics) -> bytes:
    return json.dumps(to_cytoscape(graph, metrics), ensure_ascii=False, indent=1).encode("utf-8")


def _csv(rows: list[list[object]], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(value) if isinstance(value, str) else value for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_csv_tables(graph: nx.Graph) -> tuple[bytes, bytes]:
    """A node list and an edge list; the column names `id, label` and `source, target, weight` are the ones
    Gephi's spreadsheet import recognises."""
    nodes = [[key if column == "id" else data.get(column, "") for column in NODE_COLUMNS]
             for key, data in graph.nodes(data=True)]
    edges = [[first if column == "source" else second if column == "target" else data.get(column, "")
              for column in EDGE_COLUMNS] for first, second, data in graph.edges(data=True)]
    return _csv(nodes, NODE_COLUMNS), _csv(edges, EDGE_COLUMNS)


def write_csv(graph: nx.Graph, output: Path) -> list[Path]:
    """`…zip`: one archive holding knoten.csv and kanten.csv; anything else: a folder with the two files."""
    tables = to_csv_tables(graph)
    if output.suffix.casefold() == ".zip":
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in zip(CSV_NAMES, tables, strict=True):
                archive.writestr(name, content)
        return [output]
    if output.exists() and not output.is_dir():
        raise SozialgraphError(f"{output}: für CSV ein Ordner oder eine .zip-Datei angeben (es entstehen "
                               f"{' und '.join(CSV_NAMES)})")
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in zip(CSV_NAMES, tables, strict=True):
        (output / name).write_bytes(content)
        written.append(output / name)
    return written


def to_text(graph: nx.Graph, metrics: NetworkMetrics) -> str:
    """A short German report for the terminal."""
    def name(key: str) -> str:
        data = graph.nodes[key]
        return f"{data['label']} ({data['identifier']})"

    lines = [f"Netzwerk ({graph.graph.get('projection')}): {metrics.nodes} Knoten, {metrics.edges} Kanten, "
             f"{len(metrics.communities)} Gemeinschaften (Louvain)"]
    if metrics.betweenness_samples:
        lines.append(f"Vermittlerrolle geschätzt aus {metrics.betweenness_samples} Stichproben-Knoten.")
    lines.append("Silos (Ämter ohne gemeinsames Gremium oder Netzwerk mit einem anderen Amt):")
    lines.extend(f"  {name(key)}" for key in metrics.silos or [])
    if not metrics.silos:
        lines.append("  keine")
    lines.append("Vermittler (höchste Betweenness-Zentralität):")
    lines.extend(f"  {graph.nodes[key]['betweenness']:.3f}  {name(key)}" for key in metrics.brokers[:10])
    lines.append(f"Brücken (Verbindungen, ohne die das Netz zerfällt): {len(metrics.bridges)}")
    lines.extend(f"  {name(a)} – {name(b)}" for a, b in metrics.bridges[:20])
    if len(metrics.bridges) > 20:
        lines.append(f"  … und {len(metrics.bridges) - 20} weitere")
    lines.append(f"Isolierte Knoten: {len(metrics.isolates)}")
    lines.extend(f"  {name(key)}" for key in metrics.isolates[:20])
    fields = code_list("field-of-action")
    lines.append("Handlungsfelder ohne gemeinsames Gremium (kein Gremium/Netzwerk mit zwei Mitgliedern darin):")
    lines.extend(f"  {code} {fields.codes[code].label_de if code in fields.codes else ''}".rstrip()
                 for code in metrics.fields_without_forum)
    if not metrics.fields_without_forum:
        lines.append("  keine")
    return "\n".join(lines) + "\n"
