"""Open the pages in headless Chromium (Debian's package): views render, no JavaScript
error, no injected markup runs — not even when the hostile node's hover title is shown —
and a screenshot is saved under the test's temporary folder.

Uses Chromium's own ``--headless --dump-dom`` (no driver, no new dependency): the page
writes its state into the DOM (``data-orgnet-state="rendered"`` on each view once
vis-network has drawn it, JavaScript errors into ``#orgnet-errors``), and a hostile
name that ran would set ``<body data-pwned=...>``. Skipped, with the install command,
where Chromium is absent; CI installs it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("pyvis", reason="the viz extra is not installed: pip install 'orgnet[viz]'")
pytest.importorskip("matplotlib", reason="the viz extra is not installed: pip install 'orgnet[viz]'")

import orgnet  # noqa: E402
from orgnet.report import report  # noqa: E402
from orgnet.viz import interactive, to_html  # noqa: E402
from viz_helpers import HOSTILE_UNIT, hostile_net  # noqa: E402


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


CHROMIUM = _find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed: apt-get install chromium (CI installs it with .ci/run)",
)

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]

HOVER_PROBE = """
<script>
/* test probe: hover node %(id)s as a user would, record what the tooltip holds, then
   use the filter and the search box and record what they did */
window.addEventListener("load", function () {
  setTimeout(function () {
    var net = window.orgnet.networks["orgnet-view-0"];
    var at = net.canvasToDOM(net.getPositions(["%(id)s"])["%(id)s"]);
    var canvas = document.querySelector("#orgnet-view-0 canvas");
    var box = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new MouseEvent("mousemove",
      {clientX: box.left + at.x, clientY: box.top + at.y, bubbles: true}));
    setTimeout(function () {
      var tip = document.querySelector("div.vis-tooltip");
      document.body.setAttribute("data-test-tooltip", tip ? tip.textContent : "(none)");
      /* innerText turns the title's line breaks into <br>; anything else would be markup */
      document.body.setAttribute("data-test-tooltip-elements",
        tip ? String(tip.querySelectorAll(":not(br)").length) : "-1");
      document.body.setAttribute("data-test-images", String(document.getElementsByTagName("img").length));
      /* then use the controls: untick units in the kind filter, search by name */
      var box = document.querySelector('input[data-filter="kind"][value="unit"]');
      box.checked = false;
      box.dispatchEvent(new Event("change"));
      document.body.setAttribute("data-test-filter", document.querySelector(".orgnet-status").textContent);
      var hidden = window.orgnet.networks["orgnet-view-0"].body.data.nodes.get({filter: function (n) { return n.hidden; }});
      document.body.setAttribute("data-test-hidden", hidden.map(function (n) { return n.id; }).sort().join(","));
      document.querySelector(".orgnet-reset").click();
      var input = document.querySelector("input[type=search]");
      input.value = "%(search)s";
      document.querySelector("button.orgnet-find").click();
      document.body.setAttribute("data-test-search", document.querySelector(".orgnet-status").textContent);
      document.body.setAttribute("data-test-selected",
        window.orgnet.networks["orgnet-view-0"].getSelectedNodes().join(","));
    }, 1500);
  }, 1500);
});
</script>
"""


def chromium(url: str, tmp_path: Path, *extra: str, budget_ms: int = 20000, timeout: int = 240):
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.glob('chromium-profile-*')))}"
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900",
           f"--virtual-time-budget={budget_ms}", *extra, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def dump_dom(path: Path, tmp_path: Path, fragment: str = "", **kw) -> tuple[str, str]:
    res = chromium(path.resolve().as_uri() + fragment, tmp_path, "--dump-dom", **kw)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout, res.stderr


def screenshot(path: Path, tmp_path: Path, name: str, fragment: str = "", height: int = 900) -> Path:
    shot = tmp_path / name
    res = chromium(path.resolve().as_uri() + fragment, tmp_path, f"--screenshot={shot}",
                   f"--window-size=1280,{height}")
    assert res.returncode == 0, res.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return shot


def assert_rendered(dom: str, log: str, n_views: int) -> None:
    assert 'data-orgnet-ready="true"' in dom
    states = re.findall(r'data-orgnet-state="(\w+)"', dom)
    assert states == ["rendered"] * n_views, states
    assert dom.count("<canvas") >= n_views
    errors = re.search(r'<div class="orgnet-errors" id="orgnet-errors" role="alert">(.*?)</div>', dom, re.S)
    assert errors is not None and errors.group(1).strip() == "", errors.group(1) if errors else dom[:500]
    assert "data-pwned" not in dom, "injected markup ran"
    console_errors = [line for line in log.splitlines() if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]
    assert console_errors == []


def test_ties_view_renders_and_hostile_titles_stay_text(tmp_path):
    v = interactive(hostile_net(), view="ties", physics=False)
    page = to_html(v, tmp_path / "ties.html")
    probe = tmp_path / "ties-probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", HOVER_PROBE % {"id": "U1", "search": "创业咨询"} + "</body>"), encoding="utf-8")
    dom, log = dump_dom(probe, tmp_path)
    assert_rendered(dom, log, 1)
    assert 'data-orgnet-nodes="9"' in dom and 'data-orgnet-edges="6"' in dom
    # the hover title was shown, as text: the hostile name is in it and made no element
    tooltip = re.search(r'data-test-tooltip="([^"]*)"', dom)
    assert tooltip is not None, "the hover probe did not run"
    import html

    assert HOSTILE_UNIT in html.unescape(tooltip.group(1))
    assert 'data-test-tooltip-elements="0"' in dom
    assert 'data-test-images="0"' in dom
    # the filter hides the four units (and their ties); the search finds 创业咨询公司 (U2)
    assert 'data-test-filter="5 of 9 nodes shown"' in dom
    assert 'data-test-hidden="U1,U2,U4,U5"' in dom
    assert 'data-test-search="1 found"' in dom and 'data-test-selected="U2"' in dom
    screenshot(page, tmp_path, "ties.png")


def test_report_renders_every_view(tmp_path):
    net = hostile_net()
    out = report(net, tmp_path / "report.html")
    dom, log = dump_dom(out, tmp_path, "#all-views")
    assert_rendered(dom, log, 5)
    # opened normally, only the first tab is drawn; the others wait for a click
    dom, log = dump_dom(out, tmp_path)
    assert re.findall(r'data-orgnet-state="(\w+)"', dom) == ["rendered"]
    assert "data-pwned" not in dom
    screenshot(out, tmp_path, "report.png", height=2400)


def test_demo_views_render(tmp_path):
    net = orgnet.datasets.load("demo")
    for view in ("hierarchy", "coverage", "vacuum", "sharing"):
        page = to_html(interactive(net, view=view), tmp_path / f"{view}.html")
        dom, log = dump_dom(page, tmp_path)
        assert_rendered(dom, log, 1)


def test_lanzhou_report_views_open(tmp_path):
    """The city-sized report (aggregated views, thousands of nodes) opens without timing out."""
    net = orgnet.datasets.synthetic_city("lanzhou", seed=0)
    out = report(net, tmp_path / "lanzhou.html")
    dom, log = dump_dom(out, tmp_path, "#all-views", budget_ms=30000, timeout=300)
    assert_rendered(dom, log, 7)  # five views plus staffing and response (the city has people and cases)
    screenshot(out, tmp_path, "lanzhou.png")
