"""Shared helpers of the rendering tests: hostile names, the remote-load check."""

from __future__ import annotations

import re

import orgnet
from conftest import tiny_tables

# each hostile text, if it ever ran, would set <body data-pwned="..."> (checked in the browser test)
HOSTILE_UNIT = "<img src=x onerror=\"document.body.dataset.pwned='unit'\">"
HOSTILE_AREA = "<img src=x onerror=\"document.body.dataset.pwned='area'\">"
HOSTILE_NOTE = "</script><script>document.body.dataset.pwned='note'</script>"
HOSTILE_ORG = "<img src=x onerror=alert(1)>"
HOSTILE = (HOSTILE_UNIT, HOSTILE_AREA, HOSTILE_NOTE, HOSTILE_ORG)

# A remote *load*: an attribute that fetches (src, href, ...), a CSS @import or url(...)
# pointing at http(s) or a protocol-relative URL. URL text elsewhere (vis-network's
# licence comments name github.com) loads nothing and is allowed.
REMOTE_LOAD = re.compile(
    r"""\b(?:src|href|srcset|action|poster|data|xlink:href)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|@import\b"""
    r"""|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


def remote_loads(page: str) -> list[str]:
    """Every remote load found in a page (empty when the page is self-contained)."""
    return [page[max(0, m.start() - 40): m.end() + 40] for m in REMOTE_LOAD.finditer(page)]


def hostile_tables():
    """The tiny dataset with hostile names: unit U1, area C11, organisation O4 and a tie note."""
    t = tiny_tables()
    t["units"].loc[t["units"]["id"] == "U1", "name"] = HOSTILE_UNIT
    t["areas"].loc[t["areas"]["id"] == "C11", "name"] = HOSTILE_AREA
    t["organisations"].loc[t["organisations"]["id"] == "O4", "name"] = HOSTILE_ORG
    t["ties"].loc[(t["ties"]["source"] == "U4") & (t["ties"]["kind"] == "co_building"), "note"] = HOSTILE_NOTE
    return t


def hostile_net():
    return orgnet.OrgNetwork(**hostile_tables(), name="hostile <b>net</b>")


def assert_escaped(page: str, *, json_form: bool = True, html_form: bool = False) -> None:
    """No hostile text appears raw, no ``<img`` but orgnet's own charts, and the escaped
    forms are present: in the JSON data (``\\u003cimg``) and/or in HTML text (``&lt;img``)."""
    for h in HOSTILE:
        assert h not in page, f"raw hostile text in the page: {h!r}"
    assert "<img" not in page.replace('<img class="orgnet-chart"', "")
    assert "<script>document" not in page
    if json_form:
        assert "\\u003cimg src=x onerror" in page
    if html_form:
        assert "&lt;img src=x onerror" in page


def require(condition, what: str) -> None:
    """Go on only when ``condition`` holds: a test that needs ``what`` (a font, a browser,
    ``unshare``) fails in CI (``CI=true``), where it must be installed, and skips elsewhere
    with ``what`` as the hint."""
    import os

    import pytest

    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must provide {what}", pytrace=False)
    pytest.skip(f"needs {what}")
