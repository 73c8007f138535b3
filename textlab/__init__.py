"""textlab: comparative discourse and text analysis with audited, reproducible results.

The public verbs are re-exported here; see each module for details.
"""

from .clean import CleanResult, clean_text
from .corpus import Corpus, load_corpus
from .errors import TextlabError
from .segment import segment
from .tokenize import count_terms, document_term_matrix, ngrams, stopwords, tokenize

__version__ = "0.1.0"

__all__ = [
    "CleanResult",
    "Corpus",
    "TextlabError",
    "clean_text",
    "count_terms",
    "document_term_matrix",
    "load_corpus",
    "ngrams",
    "segment",
    "stopwords",
    "tokenize",
]
