"""Errors and warnings raised by textlab.

Every error names its culprit (file, line, field, parameter or pattern) and, where it
helps, what to do. Catch :class:`TextlabError` to handle all of them.

Examples
--------
>>> from textlab.errors import TextlabError, check_int
>>> try:
...     check_int(0, name="window", func="kwic", minimum=1)
... except TextlabError as err:
...     print(err)
The 'window' parameter of kwic must be an int >= 1; got 0.
"""

from __future__ import annotations

import numbers
import os
import sys
from collections.abc import Collection

import numpy as np

__all__ = [
    "TextlabError",
    "CorpusError",
    "ManifestError",
    "DecodingError",
    "CodebookError",
    "PatternError",
    "ParameterError",
    "GroupError",
    "TextlabWarning",
    "EmptyDocumentWarning",
    "NoMatchWarning",
    "SmallSampleWarning",
    "MissingFontWarning",
    "check_int",
    "check_choice",
    "check_fraction",
]


class TextlabError(Exception):
    """Base class of every error textlab raises on purpose."""


class CorpusError(TextlabError):
    """A corpus cannot be read: missing path, unreadable or binary file, duplicate ids."""


class ManifestError(CorpusError):
    """The manifest is malformed or disagrees with the files on disk."""


class DecodingError(CorpusError):
    """A file is not in the declared (or any detectable) text encoding."""


class CodebookError(TextlabError):
    """A codebook (YAML) is malformed: bad keys, empty or duplicate entries."""


class PatternError(TextlabError, ValueError):
    """A search pattern is invalid or unsafe."""


class ParameterError(TextlabError, ValueError):
    """A function was called with an invalid parameter value."""


class GroupError(TextlabError, ValueError):
    """A grouping variable is unknown or has too few groups for the analysis."""


class TextlabWarning(UserWarning):
    """Base class of textlab's warnings."""


class EmptyDocumentWarning(TextlabWarning):
    """A document has no text (it is kept, with zero tokens)."""


class NoMatchWarning(TextlabWarning):
    """A pattern matched nothing in the corpus."""


class SmallSampleWarning(TextlabWarning):
    """Too few units for the requested statistic (e.g. a bootstrap over one document)."""


class MissingFontWarning(TextlabWarning):
    """No installed font can draw the text (Chinese would show as empty boxes)."""


def check_int(value, *, name: str, func: str, minimum: int | None = None) -> int:
    """Return ``value`` as an int or raise :class:`ParameterError` naming it."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if ok and (minimum is None or value >= minimum):
        return int(value)
    bound = f" >= {minimum}" if minimum is not None else ""
    raise ParameterError(f"The {name!r} parameter of {func} must be an int{bound}; got {value!r}.")


def check_bool(value, *, name: str, func: str) -> bool:
    """Return ``value`` as a bool if it is one (a numpy bool too), else raise
    :class:`ParameterError` naming it: 0, 1 or "yes" are not taken for a bool."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ParameterError(f"The {name!r} parameter of {func} must be a bool; got {value!r}.")


def check_bools(func: str, **flags) -> tuple[bool, ...]:
    """:func:`check_bool` of each keyword argument, returned in the order given."""
    return tuple(check_bool(value, name=name, func=func) for name, value in flags.items())


def check_choice(value, choices: Collection, *, name: str, func: str):
    """Return ``value`` if it is one of ``choices`` or raise :class:`ParameterError`."""
    if isinstance(value, str) and value in choices:
        return value
    listed = ", ".join(repr(c) for c in choices)
    raise ParameterError(f"The {name!r} parameter of {func} must be one of {listed}; got {value!r}.")


def check_fraction(value, *, name: str, func: str) -> float:
    """Return ``value`` if it is a float strictly between 0 and 1, else raise."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and 0 < value < 1:
        return float(value)
    raise ParameterError(f"The {name!r} parameter of {func} must be a float in (0, 1); got {value!r}.")


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def outside_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first caller outside textlab.

    For a warning raised from a function that several public verbs reach through
    different depths of calls; call it from the function that calls ``warnings.warn``.
    """
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level
