"""textlab benchmarks: one ``bench_*.py`` per target of the performance issue.

``make bench`` builds the corpus (``benchmarks/make_corpus.sh``) and runs
``python -m benchmarks.run``; see :mod:`benchmarks.run` and :mod:`benchmarks._common`.
"""
