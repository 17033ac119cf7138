"""Declarative parameter checks, in scikit-learn's manner.

Each public function declares its constraints as data, next to its signature::

    @validate_params(
        min_members=Integer(0),
        radius_m=[Real(0, exclusive=True), None],
        level=Level(),
        as_of=[Date(), None],
    )
    def unit_coverage(net, *, min_members=3, radius_m=None, level="grid", as_of=None): ...

One decorator checks every declared argument (defaults included) before the body
runs, passes the normalised value on (``Integer`` gives an ``int``, ``Levels``
a tuple, ``Date`` a Timestamp), and raises one message style, naming the
function itself::

    The 'radius_m' parameter of vacuum_areas must be a number > 0 or None. Got -5 instead.

A list of constraints means "any of these"; ``None`` in the list allows None.
The decorated function keeps its signature and docstring; its constraints are
readable as ``f.__orgnet_params__`` (the tests use them to check every public
function declares its parameters). Inside a decorated call,
:func:`current_function` names the outermost public function, so shared
helpers (``OrgNetwork.resolve_as_of``, :func:`require`) can word their errors
without a ``func=`` argument.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import math
import numbers
from typing import Callable, Iterable

import numpy as np

from . import schema
from .errors import OrgnetMissingDataError, OrgnetParameterError

__all__ = [
    "validate_params", "current_function", "require", "as_rng", "fail",
    "Constraint", "Real", "Integer", "Bool", "Options", "Level", "Levels", "Weights", "Date",
    "Network", "Seed", "Text", "Instance", "Encoding", "Ids", "Nodes", "Numbers", "CallableConstraint",
]

_CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("orgnet_function", default=None)


def current_function(default: str = "orgnet") -> str:
    """Name of the outermost public orgnet function being called (for messages)."""
    return _CURRENT.get() or default


def fail(name: str, what: str, value, func: str | None = None):
    """Raise the one parameter error message style."""
    func = func or current_function()
    raise OrgnetParameterError(f"The {name!r} parameter of {func} must be {what}. Got {value!r} instead.")


class _Invalid(Exception):
    """A constraint's refusal with a message of its own (beyond "must be <what>")."""


class Constraint:
    """One accepted kind of value: ``describe()`` words it, ``convert()`` checks and normalises.

    ``convert`` returns the value to pass on, or raises ``ValueError`` /
    ``TypeError`` when the value is not of this kind.
    """

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def convert(self, value):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__}: {self.describe()}>"


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


class Real(Constraint):
    """A finite real number, optionally bounded: ``Real(0)`` is >= 0, ``Real(0, exclusive=True)`` > 0."""

    def __init__(self, minimum=None, maximum=None, *, exclusive: bool = False, finite: bool = False):
        self.minimum, self.maximum, self.exclusive, self.finite = minimum, maximum, exclusive, finite

    def _bounds(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f" in [{self.minimum:g}, {self.maximum:g}]"
        if self.minimum is not None:
            return f" {'>' if self.exclusive else '>='} {self.minimum:g}"
        if self.maximum is not None:
            return f" <= {self.maximum:g}"
        return ""

    def describe(self):
        return "a number" + self._bounds()

    def _ok(self, value) -> bool:
        if not _is_number(value) or value != value:
            return False
        if self.finite and not math.isfinite(value):
            return False
        if self.minimum is not None and not (value > self.minimum if self.exclusive else value >= self.minimum):
            return False
        if self.maximum is not None and not value <= self.maximum:
            return False
        return True

    def convert(self, value):
        if not self._ok(value):
            raise ValueError
        return value


class Integer(Real):
    """An integral number (``3`` or ``3.0``), passed on as ``int``."""

    def describe(self):
        return "an integer" + self._bounds()

    def convert(self, value):
        if not self._ok(value) or not float(value).is_integer():
            raise ValueError
        return int(value)


class Bool(Constraint):
    def describe(self):
        return "True or False"

    def convert(self, value):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError
        return bool(value)


class Options(Constraint):
    """One of a fixed set of values."""

    def __init__(self, *choices):
        self.choices = tuple(choices)

    def describe(self):
        return "one of " + ", ".join(repr(c) for c in self.choices)

    def convert(self, value):
        try:
            ok = value in self.choices
        except TypeError:  # unhashable/odd values
            ok = False
        if not ok:
            raise ValueError
        return value


class Level(Options):
    """An area level (street, community, grid, compound, building)."""

    def __init__(self, extra: Iterable[str] = ()):
        super().__init__(*schema.LEVELS, *extra)


class Levels(Constraint):
    """One level or a non-empty list of levels, passed on as a tuple."""

    def describe(self):
        return "a level or a non-empty list of levels among " + ", ".join(schema.LEVELS)

    def convert(self, value):
        if isinstance(value, str):
            value = (value,)
        try:
            value = tuple(value)
        except TypeError:
            raise TypeError from None
        if not value or any(v not in schema.LEVELS for v in value):
            raise ValueError
        return value


class Weights(Constraint):
    """A dict mapping some of ``keys`` to numbers >= 0, passed on with float values."""

    def __init__(self, keys: Iterable[str], what: str):
        self.keys, self.what = tuple(keys), what

    def describe(self):
        return f"a dict of {self.what} -> weight >= 0"

    def convert(self, value):
        if not isinstance(value, dict):
            raise TypeError
        out = {}
        for k, v in value.items():
            if k not in self.keys:
                raise _Invalid(f"must use {self.what} among {', '.join(self.keys)}. Got {k!r} instead.")
            if not _is_number(v) or not v >= 0 or not math.isfinite(v):
                raise _Invalid(f"must map {self.what} to numbers >= 0. Got {v!r} for {k!r} instead.")
            out[k] = float(v)
        return out


class Date(Constraint):
    """A date (``'2025-06-30'``, datetime, Timestamp), passed on as a tz-naive midnight Timestamp."""

    def describe(self):
        return "a date (e.g. '2025-06-30')"

    def convert(self, value):
        import pandas as pd

        if value is None or isinstance(value, (bool, np.bool_)):
            raise TypeError
        try:
            ts = pd.Timestamp(value)
        except (TypeError, ValueError, OverflowError):
            raise ValueError from None
        if pd.isna(ts):
            raise ValueError
        if ts.tzinfo is not None:
            ts = ts.tz_localize(None)
        return ts.normalize()


class Network(Constraint):
    """An :class:`~orgnet.OrgNetwork`."""

    def describe(self):
        return "an OrgNetwork (see orgnet.read_dataset)"

    def convert(self, value):
        from .network import OrgNetwork

        if not isinstance(value, OrgNetwork):
            raise TypeError
        return value


class Seed(Constraint):
    """A random seed: an integer >= 0 or a ``numpy.random.Generator`` (see :func:`as_rng`)."""

    def describe(self):
        return "an integer >= 0 or a numpy.random.Generator"

    def convert(self, value):
        if isinstance(value, np.random.Generator):
            return value
        if _is_number(value) and float(value).is_integer() and value >= 0:
            return int(value)
        raise ValueError


class Text(Constraint):
    def __init__(self, empty: bool = False):
        self.empty = empty

    def describe(self):
        return "a text" if self.empty else "a non-empty text"

    def convert(self, value):
        if not isinstance(value, str) or (not self.empty and not value.strip()):
            raise TypeError
        return value


class Instance(Constraint):
    """An instance of one of ``types``; ``what`` words it."""

    def __init__(self, types, what: str):
        self.types, self.what = types, what

    def describe(self):
        return self.what

    def convert(self, value):
        if not isinstance(value, self.types):
            raise TypeError
        return value


class CallableConstraint(Constraint):
    def describe(self):
        return "a callable"

    def convert(self, value):
        if not callable(value):
            raise TypeError
        return value


class Encoding(Constraint):
    """An encoding Python knows (``codecs.lookup``)."""

    def describe(self):
        return "an encoding Python knows (utf-8-sig, utf-8, gb18030, gbk)"

    def convert(self, value):
        import codecs

        codecs.lookup(value)  # LookupError / TypeError
        return value


class Ids(Constraint):
    """One id (text) or a non-empty iterable of ids, passed on as a list of str."""

    def describe(self):
        return "an id or a non-empty list of ids"

    def convert(self, value):
        if isinstance(value, str):
            return [value]
        try:
            out = list(value)
        except TypeError:
            raise TypeError from None
        if not out or not all(isinstance(v, str) for v in out):
            raise ValueError
        return out


class Numbers(Constraint):
    """A 1-d array of finite numbers (>= ``minimum``), or also a single number when ``scalar``;
    passed on as a float array."""

    def __init__(self, minimum=None, scalar: bool = False):
        self.minimum, self.scalar = minimum, scalar

    def describe(self):
        what = "a number or an array of numbers" if self.scalar else "an array of numbers"
        return what + (f" >= {self.minimum:g}" if self.minimum is not None else "") + " (finite, no empty values)"

    def convert(self, value):
        if isinstance(value, (str, bytes, dict)):
            raise TypeError
        arr = np.asarray(value, dtype=float)  # TypeError/ValueError for non-numbers
        if arr.ndim > 1 or (arr.ndim == 0 and not self.scalar):
            raise ValueError
        if not np.isfinite(arr).all() or (self.minimum is not None and (arr < self.minimum).any()):
            raise ValueError
        return arr


class Nodes(Constraint):
    """One node (a hashable that is not a collection) or a collection of nodes, passed on as a
    tuple; a numpy array (node codes or a boolean mask) is passed on as it is.

    Whether the nodes are in the graph is the function's own check.
    """

    def describe(self):
        return "a node or a collection of nodes"

    def convert(self, value):
        from collections.abc import Hashable, Iterable

        if isinstance(value, np.ndarray):
            return value
        if isinstance(value, (str, bytes)) or (isinstance(value, Hashable) and not isinstance(value, Iterable)):
            return (value,)
        if isinstance(value, Iterable) and not isinstance(value, dict):
            return tuple(value)
        raise TypeError


def _normalise(constraints) -> tuple[list[Constraint], bool]:
    if not isinstance(constraints, (list, tuple)):
        constraints = [constraints]
    allow_none = any(c is None for c in constraints)
    cs = [c for c in constraints if c is not None]
    for c in cs:
        if not isinstance(c, Constraint):
            raise TypeError(f"not a Constraint: {c!r}")
    return cs, allow_none


def _describe(cs: list[Constraint], allow_none: bool) -> str:
    words = [c.describe() for c in cs] + (["None"] if allow_none else [])
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def check(value, name: str, constraints, func: str | None = None):
    """Check one value against constraints outside a decorated function; returns it normalised."""
    cs, allow_none = _normalise(constraints)
    return _check(value, name, cs, allow_none, func or current_function())


def _check(value, name, cs, allow_none, func):
    if value is None and allow_none:
        return None
    for c in cs:
        try:
            return c.convert(value)
        except _Invalid as err:
            raise OrgnetParameterError(f"The {name!r} parameter of {func} {err}") from None
        except (TypeError, ValueError, LookupError, OverflowError):
            continue
    raise OrgnetParameterError(
        f"The {name!r} parameter of {func} must be {_describe(cs, allow_none)}. Got {value!r} instead."
    )


def validate_params(_spec: dict | None = None, /, **constraints) -> Callable:
    """Decorate a public function with its parameter constraints (see the module docstring).

    Constraints may be given as keywords or as one dict. Every name must be a
    parameter of the function (checked when the module is imported).
    """
    spec = dict(_spec or {}, **constraints)

    def decorate(func):
        sig = inspect.signature(func)
        unknown = set(spec) - set(sig.parameters)
        if unknown:
            raise TypeError(f"validate_params: {func.__name__} has no parameter(s) {sorted(unknown)}")
        table = {name: _normalise(c) for name, c in spec.items()}
        name = func.__name__

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            token = _CURRENT.set(name) if _CURRENT.get() is None else None
            try:
                try:
                    bound = sig.bind(*args, **kwargs)
                except TypeError as err:
                    raise TypeError(f"{name}(): {err}") from None
                bound.apply_defaults()
                arguments = bound.arguments
                for pname, (cs, allow_none) in table.items():
                    arguments[pname] = _check(arguments[pname], pname, cs, allow_none, name)
                return func(*bound.args, **bound.kwargs)
            finally:
                if token is not None:
                    _CURRENT.reset(token)

        wrapper.__orgnet_params__ = spec
        return wrapper

    return decorate


def as_rng(seed) -> np.random.Generator:
    """The one seed convention: an integer >= 0 or a Generator -> ``numpy.random.Generator``.

    Every random process in orgnet (sampled betweenness pivots, core–periphery
    restarts, layouts, synthetic cities) draws from the Generator this returns,
    so the same integer seed gives the same result everywhere.

    >>> as_rng(0).integers(10)
    np.int64(8)
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check(seed, "seed", Seed()))


def require(net, func: str | None = None, *, tables=(), columns=()):
    """Raise OrgnetMissingDataError if the network lacks rows or columns an analysis needs.

    ``tables``: table names that must have at least one row; ``columns``:
    (table, column) pairs that must have at least one non-empty value.
    """
    func = func or current_function()
    for t in tables:
        if len(net.tables[t]) == 0:
            raise OrgnetMissingDataError(
                f"{func} needs the {t!r} table ({schema.TABLES[t].aliases[0]}), "
                f"but the network has no {t}. Add a {t}.csv file or sheet."
            )
    for t, c in columns:
        if c not in net.tables[t] or net.tables[t][c].isna().all():
            raise OrgnetMissingDataError(
                f"{func} needs column {c!r} of the {t!r} table, but it is empty."
            )


# ---------------------------------------------------------------------------
# Transitional hand-call helpers (same messages); to be removed once every
# module declares its constraints with @validate_params.

def check_number(value, name: str, func: str, *, minimum=None, exclusive=False, integer=False,
                 allow_none=False):
    cls = Integer if integer else Real
    return check(value, name, [cls(minimum, exclusive=exclusive)] + ([None] if allow_none else []), func)


def check_bool(value, name: str, func: str) -> bool:
    return check(value, name, Bool(), func)


def check_choice(value, name: str, func: str, choices: Iterable[str]):
    return check(value, name, Options(*choices), func)


def check_weights(weights, name: str, func: str, keys, what: str) -> dict[str, float]:
    return check(weights, name, Weights(keys, what), func)


def check_level(value, name: str, func: str):
    return check(value, name, Level(), func)


def check_levels(values, name: str, func: str) -> tuple[str, ...]:
    return check(values, name, Levels(), func)


def check_encoding(value, name: str, func: str) -> str:
    return check(value, name, Encoding(), func)

