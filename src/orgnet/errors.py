"""Exceptions and warnings raised by orgnet.

Every error orgnet raises on purpose derives from :class:`OrgnetError`.
Problems with the *data* (a cell that breaks a rule of the data format) are
collected and raised together as one :class:`OrgnetDataError`, whose
``problems`` list names table, row, column and value of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "OrgnetError",
    "OrgnetDataError",
    "OrgnetParameterError",
    "OrgnetMissingDataError",
    "OrgnetWarning",
    "Problem",
]


class OrgnetError(Exception):
    """Base class of every error orgnet raises on purpose."""


class OrgnetWarning(UserWarning):
    """A warning about the data or a parameter that did not stop the work."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a dataset.

    Attributes
    ----------
    table : str
        Canonical (English) table name, e.g. ``"areas"``.
    row : int or None
        The row as the user sees it in the file or sheet: the header is row 1,
        the first data row is row 2. ``None`` when the problem concerns a whole
        table or column (a missing table, a missing column).
    column : str or None
        Canonical column name, or ``None`` for a whole table or row.
    value : object
        The offending value as read (``None`` when there is none).
    message : str
        What is wrong and what was expected.
    """

    table: str
    row: int | None
    column: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        where = [self.table]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) + ": " + self.message
        return text


class OrgnetDataError(OrgnetError, ValueError):
    """The dataset breaks one or more rules of the data format.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, in table and row order.
    source : str, optional
        Where the data came from (a path, or ``"DataFrames"``).

    Examples
    --------
    >>> import orgnet, pandas as pd
    >>> areas = pd.DataFrame({"id": ["D1", "S1"], "name": ["区", "街道"],
    ...                       "level": ["district", "streat"], "parent": [None, "D1"]})
    >>> orgs = pd.DataFrame({"id": ["O1"], "name": ["区委"], "form": ["committee"],
    ...                      "scope": ["territorial"], "area": ["D1"]})
    >>> try:
    ...     orgnet.OrgNetwork(areas=areas, organisations=orgs)
    ... except orgnet.OrgnetDataError as err:
    ...     print(err.problems[0].table, err.problems[0].row, err.problems[0].column)
    areas 3 level
    """

    #: how many problems ``str()`` lists before summarising the rest
    max_listed = 50

    def __init__(self, problems: list[Problem], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        super().__init__(self._format())

    def _format(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the dataset"
        if self.source:
            head += f" {self.source!r}"
        lines = [head + ":"]
        lines += [f"  {p}" for p in self.problems[: self.max_listed]]
        if n > self.max_listed:
            lines.append(
                f"  ... and {n - self.max_listed} more (all are in the error's "
                "`.problems` list, or `.to_frame()`)"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._format()

    def to_frame(self):
        """All problems as a DataFrame with columns table, row, column, value, message."""
        import pandas as pd

        return pd.DataFrame(
            [(p.table, p.row, p.column, p.value, p.message) for p in self.problems],
            columns=["table", "row", "column", "value", "message"],
        )


class OrgnetParameterError(OrgnetError, ValueError):
    """A function was called with a parameter value it does not accept."""


class OrgnetMissingDataError(OrgnetError):
    """An analysis needs a table or column that the network does not have."""
