"""sozialgraph: a knowledge graph for integrated municipal social planning."""

__version__ = "0.1.0"
