"""Parameter checks with one message style (as scikit-learn's constraint table).

"The 'radius_m' parameter of vacuum_areas must be a number > 0. Got -5 instead."
"""

from __future__ import annotations

import numbers
from typing import Iterable

from . import schema
from .errors import OrgnetMissingDataError, OrgnetParameterError


def _fail(name, func, what, value):
    raise OrgnetParameterError(f"The {name!r} parameter of {func} must be {what}. Got {value!r} instead.")


def check_number(value, name: str, func: str, *, minimum=None, exclusive=False, integer=False,
                 allow_none=False):
    """Check a numeric parameter; returns it."""
    if value is None and allow_none:
        return None
    kind = "an integer" if integer else "a number"
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if integer:
        ok = ok and float(value).is_integer()
    if ok and value != value:  # NaN
        ok = False
    if ok and minimum is not None:
        ok = value > minimum if exclusive else value >= minimum
    if not ok:
        bound = "" if minimum is None else f" {'>' if exclusive else '>='} {minimum:g}"
        _fail(name, func, f"{kind}{bound}" + (" or None" if allow_none else ""), value)
    return int(value) if integer else value


def check_bool(value, name: str, func: str) -> bool:
    """Check a True/False parameter; returns it as a bool."""
    import numpy as np

    if not isinstance(value, (bool, np.bool_)):
        _fail(name, func, "True or False", value)
    return bool(value)


def check_choice(value, name: str, func: str, choices: Iterable[str]):
    choices = tuple(choices)
    if value not in choices:
        _fail(name, func, "one of " + ", ".join(repr(c) for c in choices), value)
    return value


def check_weights(weights, name: str, func: str, keys, what: str) -> dict[str, float]:
    """Check a dict of ``key -> weight >= 0`` whose keys are among ``keys``; returns floats."""
    keys = tuple(keys)
    if not isinstance(weights, dict):
        _fail(name, func, f"a dict of {what} -> weight", weights)
    out = {}
    for k, v in weights.items():
        if k not in keys:
            raise OrgnetParameterError(
                f"The {name!r} parameter of {func} must use {what} among {', '.join(keys)}. Got {k!r} instead."
            )
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not v >= 0:
            raise OrgnetParameterError(
                f"The {name!r} parameter of {func} must map {what} to numbers >= 0. Got {v!r} for {k!r} instead."
            )
        out[k] = float(v)
    return out


def check_level(value, name: str, func: str):
    return check_choice(value, name, func, schema.LEVELS)


def check_levels(values, name: str, func: str) -> tuple[str, ...]:
    if isinstance(values, str):
        values = (values,)
    values = tuple(values)
    if not values:
        _fail(name, func, "a non-empty list of levels among " + ", ".join(schema.LEVELS), values)
    for v in values:
        if v not in schema.LEVELS:
            _fail(name, func, "a level or list of levels among " + ", ".join(schema.LEVELS), v)
    return values


def require(net, func: str, *, tables=(), columns=()):
    """Raise OrgnetMissingDataError if the network lacks rows or columns an analysis needs.

    ``tables``: table names that must have at least one row; ``columns``:
    (table, column) pairs that must have at least one non-empty value.
    """
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


def check_encoding(value, name: str, func: str) -> str:
    """An encoding Python knows (``codecs.lookup``); returns it unchanged."""
    import codecs

    try:
        codecs.lookup(value)
    except (LookupError, TypeError) as err:
        raise OrgnetParameterError(
            f"The {name!r} parameter of {func} must be an encoding Python knows "
            f"(utf-8-sig, utf-8, gb18030, gbk). Got {value!r} instead.") from err
    return value
