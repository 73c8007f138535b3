"""textlab: comparative discourse and text analysis."""

__version__ = "0.1.0"
