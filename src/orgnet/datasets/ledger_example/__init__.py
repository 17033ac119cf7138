"""An example ledger workbook with Chinese headers and realistic mistakes.

``example_ledger_path()`` gives the path of 东湖街道党建台账.xlsx, the demo
district's street ``S1`` 东湖街道 kept as a street office keeps it in Excel:
Chinese sheet names, headers and values, title rows, a totals row and a notes
row, and nine mistakes that :func:`orgnet.read_dataset` reports by sheet, row
and column (listed in :mod:`orgnet.datasets.ledger_example.make`, which writes
the file). The notebook ``notebooks/02_your_own_ledgers.ipynb`` reads it, fixes
each mistake and ends with a clean network. Reading it needs openpyxl (the
``excel`` extra).

Examples
--------
>>> from orgnet.datasets.ledger_example import example_ledger_path
>>> example_ledger_path().name
'东湖街道党建台账.xlsx'
>>> import warnings, orgnet
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", orgnet.OrgnetWarning)  # its instructions sheet, totals and notes rows
...     try:
...         orgnet.read_dataset(example_ledger_path())
...     except orgnet.OrgnetDataError as err:
...         print(len(err.problems), err.problems[0])
9 areas, row 9, column 'property_management': expected a yes/no value (true/false, 1/0, yes/no, 是/否), got '√'
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FILE_NAME", "example_ledger_path"]

#: the workbook's file name, in this package's folder
FILE_NAME = "东湖街道党建台账.xlsx"


def example_ledger_path() -> Path:
    """The path of the example ledger workbook 东湖街道党建台账.xlsx shipped with orgnet.

    Examples
    --------
    >>> from orgnet.datasets.ledger_example import example_ledger_path
    >>> example_ledger_path().exists(), example_ledger_path().suffix
    (True, '.xlsx')
    """
    return Path(__file__).resolve().parent / FILE_NAME
