# Template (string.Template): the graph IRI and the triples are N-Triples serialised by pyoxigraph, never user text.
DELETE DATA { GRAPH ${graph} {
${triples}
} }
