# Template (string.Template): the graph IRI is serialised by pyoxigraph.
DROP SILENT GRAPH ${graph}
