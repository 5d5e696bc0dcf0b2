"""Loaders: the planners' spreadsheets and RDF files into named graphs of the store."""

from loaders.pipeline import LoadReport, SourceFile, load_sources, source_for

__all__ = ["LoadReport", "SourceFile", "load_sources", "source_for"]
