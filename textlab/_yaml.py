"""YAML as textlab reads it: :func:`yaml.safe_load`, with a repeated key an error.

PyYAML keeps the last of two equal keys in a mapping without a word, so a frame that
lists ``patterns:`` twice would silently lose the first list. Every YAML file textlab
reads (codebooks, cleaning hints) goes through :func:`safe_load_unique`.
"""

from __future__ import annotations

import yaml


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping repeats a key; ``problem_mark`` is where the repeat stands."""


class _UniqueKeyLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) or key is None:  # hashable scalars; others fail below
                if key in seen:
                    raise DuplicateKeyError(
                        "while constructing a mapping", node.start_mark,
                        f"found the key {key!r} twice (the first value would be lost)", key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def safe_load_unique(text: str):
    """:func:`yaml.safe_load` of ``text``, raising :class:`DuplicateKeyError` on a repeated key.

    Examples
    --------
    >>> safe_load_unique("a: 1\\nb: 2")
    {'a': 1, 'b': 2}
    >>> safe_load_unique("a: 1\\na: 2")
    Traceback (most recent call last):
    ...
    textlab._yaml.DuplicateKeyError: while constructing a mapping
      in "<unicode string>", line 1, column 1:
        a: 1
        ^
    found the key 'a' twice (the first value would be lost)
      in "<unicode string>", line 2, column 1:
        a: 2
        ^
    """
    loader = _UniqueKeyLoader(text)  # what yaml.safe_load does, with our SafeLoader subclass
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
