"""textlab: comparative discourse and text analysis with audited, reproducible results.

The public verbs are re-exported here; each module documents its own. Plotting lives in
:mod:`textlab.plots` (imported on demand, so ``import textlab`` stays light).
"""

from .clean import CleanResult, clean_text
from .corpus import Corpus, load_corpus
from .dispersion import dispersion
from .errors import TextlabError
from .frames import Codebook, compare_groups, frame_counts, frame_matches, frame_spans, poisson_rate_ci
from .keyness import fightin_words, keyness, keyness_one_vs_rest
from .kwic import kwic, sort_kwic, to_html
from .patterns import find_matches
from . import scale  # the verbs on Dask, as textlab.scale.<verb> (dask is imported on first use)
from .segment import segment
from .tokenize import count_terms, document_term_matrix, ngrams, stopwords, tokenize
from .topics import (
    TopicModel,
    TopicPreprocessing,
    compare_topic_prevalence,
    fit_topics,
    prepare_topics,
    sweep_k,
    topic_agreement,
    topic_prevalence,
    topic_stability,
)

__version__ = "0.1.0"

__all__ = [
    "CleanResult",
    "Codebook",
    "Corpus",
    "TextlabError",
    "TopicModel",
    "TopicPreprocessing",
    "clean_text",
    "compare_groups",
    "compare_topic_prevalence",
    "count_terms",
    "dispersion",
    "document_term_matrix",
    "fightin_words",
    "find_matches",
    "fit_topics",
    "frame_counts",
    "frame_matches",
    "frame_spans",
    "keyness",
    "keyness_one_vs_rest",
    "kwic",
    "load_corpus",
    "ngrams",
    "poisson_rate_ci",
    "prepare_topics",
    "segment",
    "sort_kwic",
    "stopwords",
    "sweep_k",
    "to_html",
    "tokenize",
    "topic_agreement",
    "topic_prevalence",
    "topic_stability",
]
