# Template (string.Template) for triples with blank nodes: SPARQL allows them in INSERT DATA, Virtuoso does not, but
# every server takes them in an INSERT template (one fresh node per label). N-Triples serialised by pyoxigraph.
INSERT { GRAPH ${graph} {
${triples}
} } WHERE {}
