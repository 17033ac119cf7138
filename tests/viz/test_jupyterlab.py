"""Views in a real JupyterLab, as a person sees them: trusted and untrusted notebooks, a
view too large to show inline, and the link ``view.show(path)`` gives.

Starts JupyterLab on 127.0.0.1 (free port, token, ``--no-browser``, a temporary root and
Jupyter config/data/runtime folders, update checks and news off), and drives Debian's
headless Chromium with selenium through ``/usr/bin/chromedriver`` (given as the
``Service`` path, so selenium-manager downloads nothing). Notebooks are executed with
nbclient so their outputs are stored, then saved once signed (trusted) and once unsigned.

- trusted: the output's ``<iframe>`` is there and vis-network has drawn its canvas
  (``data-orgnet-state="rendered"``, coloured pixels); the "not trusted" sentence is hidden;
- untrusted: JupyterLab's sanitiser removed the frame, and the caption saying what the view
  is and what to do (trust the notebook, or ``view.save(...)``) is visible;
- large (the synthetic ``district`` city, whose ties page is over the inline limit), run
  inside JupyterLab: shown aggregated inline, no file written next to the notebook; then
  ``view.show(...)`` writes the file and its link opens the page, drawn, in a new tab.

Outside CI a missing JupyterLab, nbclient, selenium or Chromium skips with the install
command; with ``CI=true`` it fails instead.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

TIMEOUT = 60  # seconds for any one wait (server start, page load, a cell to run)
INSTALL = "pip install -e '.[test]' (jupyterlab, nbclient, ipykernel, selenium) and apt-get install chromium chromium-driver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1000"]


def require(ok: bool, what: str) -> None:
    """Skip (with the install hint) when something the test needs is missing — but fail
    under CI (``CI=true``), where everything must be installed."""
    if ok:
        return
    message = f"{what} is not available: {INSTALL}"
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def _executable(*candidates: str) -> str | None:
    for c in candidates:
        path = shutil.which(c) or (c if os.path.isabs(c) and os.access(c, os.X_OK) else None)
        if path:
            return path
    return None


CHROMIUM = _executable("chromium", "chromium-browser", "/usr/bin/chromium")
CHROMEDRIVER = _executable("chromedriver", "/usr/bin/chromedriver")

SMALL = ("import orgnet\n"
         "from orgnet.viz import interactive\n"
         "view = interactive(orgnet.datasets.load('demo'), view='ties')\n"
         "view")
LARGE = ("import orgnet\n"
         "from orgnet.viz import interactive\n"
         "net = orgnet.datasets.synthetic_city('district', seed=1)\n"
         "view = interactive(net, view='ties')\n"
         "view")
SHOW = "view.show('ties-full.html')"


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def needs():
    for module in ("pyvis", "jupyterlab", "nbclient", "nbformat", "ipykernel", "selenium"):
        require(_importable(module), f"the Python package {module!r}")
    require(CHROMIUM is not None, "Chromium")
    require(CHROMEDRIVER is not None, "chromedriver")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(needs, tmp_path_factory):
    """A running JupyterLab: ``(base url, token, root folder, env)``; stopped at the end."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    root = tmp / "root"
    root.mkdir()
    env = dict(os.environ)
    for key, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
        env[key] = str(tmp / sub)
        (tmp / sub).mkdir()
    labconfig = tmp / "config" / "labconfig"
    labconfig.mkdir()
    # no "would you like news?" toast over the notebook
    (labconfig / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}), encoding="utf-8")
    port, token = _free_port(), "orgnet-test-token"
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly", f"--LabApp.user_settings_dir={tmp / 'settings'}",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}", "--ServerApp.terminals_enabled=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers run tests as root
        cmd.append("--allow-root")
    log = open(tmp / "server.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(tmp / 'server.log').read_text(encoding='utf-8')[-2000:]}")
            with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError), \
                    urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start within {TIMEOUT} s")
            time.sleep(0.3)
        yield url, token, root, env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()


@pytest.fixture(scope="module")
def browser(needs, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(TIMEOUT)
    driver.set_script_timeout(TIMEOUT)
    try:
        yield driver
    finally:
        driver.quit()


def _notebook(*sources: str):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture(scope="module")
def executed(lab):
    """The small notebook executed by nbclient (outputs stored), saved signed and unsigned."""
    import nbformat
    from nbclient import NotebookClient
    from nbformat.sign import NotebookNotary

    _, _, root, env = lab
    nb = _notebook(SMALL)
    NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(root)}}).execute(env=env)  # the isolated Jupyter folders
    html_out = nb.cells[0].outputs[0]["data"]["text/html"]
    untrusted = root / "untrusted.ipynb"
    nbformat.write(nb, untrusted)
    trusted = root / "trusted.ipynb"
    signed = copy.deepcopy(nb)  # a signature trusts content: the trusted copy differs by a note
    signed.metadata["orgnet_test"] = "trusted copy"
    notary = NotebookNotary(data_dir=env["JUPYTER_DATA_DIR"])
    notary.sign(signed)
    nbformat.write(signed, trusted)
    assert notary.check_signature(nbformat.read(trusted, as_version=4))
    assert not notary.check_signature(nbformat.read(untrusted, as_version=4))
    return trusted, untrusted, html_out


# ------------------------------------------------------------------ helpers


def wait(driver, condition, what: str, timeout: float = TIMEOUT):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.25).until(condition)
    except TimeoutException:
        pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; page text: "
                    f"{driver.find_element('tag name', 'body').text[:1500]!r}")


def open_notebook(driver, lab, name: str):
    from selenium.webdriver.common.by import By

    url, token, _, _ = lab
    driver.get(f"{url}/lab/tree/{name}?token={token}")
    wait(driver, lambda d: d.execute_script(
        "var w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        "return !!(w && w.context && w.context.path === arguments[0] && w.isVisible);", name), f"{name} to open")
    panel = notebook_panel(driver)
    wait(driver, lambda d: panel.find_elements(By.CSS_SELECTOR, ".jp-Cell"), f"{name}'s cells")
    return panel


def notebook_panel(driver):
    """The notebook tab in front (other tabs stay in the page, hidden)."""
    return driver.execute_script("return document.getElementById(window.jupyterapp.shell.currentWidget.id);")


def assert_view_drawn_in_frame(driver, frame) -> dict:
    """Inside ``frame`` (or the current page, when None): vis-network drew the view."""
    if frame is not None:
        driver.switch_to.frame(frame)
    try:
        wait(driver, lambda d: d.execute_script(
            "var v = document.querySelector('[data-orgnet-state]');"
            "return v && v.getAttribute('data-orgnet-state') === 'rendered';"), "the view to render")
        state = driver.execute_script("""
            var v = document.querySelector('[data-orgnet-state]');
            var c = document.querySelector('canvas');
            var n = 0;
            if (c) {
              var px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              for (var i = 3; i < px.length; i += 16) { if (px[i] > 0) n++; }
            }
            var err = document.getElementById('orgnet-errors');
            return {nodes: v.getAttribute('data-orgnet-nodes'), painted: n,
                    width: c ? c.width : 0, errors: err ? err.textContent.trim() : null,
                    notes: Array.from(document.querySelectorAll('.orgnet-note'))
                             .map(function (e) { return e.textContent; }).join(' ')};
        """)
    finally:
        if frame is not None:
            driver.switch_to.default_content()
    assert state["width"] > 100, state
    assert state["painted"] > 200, f"the canvas is blank: {state}"
    assert state["errors"] == "", state
    return state


def run_cell(driver, index: int):
    """Run one cell in JupyterLab (as Shift+Enter would) through the exposed app's commands."""
    driver.execute_script("""
        var app = window.jupyterapp;
        var panel = app.shell.currentWidget;
        panel.content.activeCellIndex = arguments[0];
        app.commands.execute('notebook:run-cell');
    """, index)


# ------------------------------------------------------------------ tests


def test_trusted_notebook_draws_the_view(lab, browser, executed):
    from selenium.webdriver.common.by import By

    trusted, _, _ = executed
    panel = open_notebook(browser, lab, trusted.name)
    frame = wait(browser, lambda d: panel.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output iframe"),
                 "the view's iframe")[0]
    state = assert_view_drawn_in_frame(browser, frame)
    assert state["nodes"] == "50"
    caption = panel.find_element(By.CSS_SELECTOR, ".jp-OutputArea-output .orgnet-caption")
    assert caption.is_displayed() and "orgnet ties view: 50 nodes, 73 edges" in caption.text
    # trusted: the frame shows, so the "not trusted" sentence is hidden (and only it)
    assert not caption.find_element(By.CSS_SELECTOR, ".orgnet-untrusted").is_displayed()
    assert "not trusted" not in caption.text and 'view.save("ties.html")' in caption.text


def test_untrusted_notebook_says_what_to_do(lab, browser, executed):
    from selenium.webdriver.common.by import By

    _, untrusted, html_out = executed
    assert "<iframe" in html_out  # the stored output has the frame: JupyterLab removes it
    panel = open_notebook(browser, lab, untrusted.name)
    caption = wait(browser, lambda d: panel.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output .orgnet-caption"),
                   "the view's caption")[0]
    area = panel.find_element(By.CSS_SELECTOR, ".jp-OutputArea")
    assert area.find_elements(By.TAG_NAME, "iframe") == []
    assert area.find_elements(By.TAG_NAME, "style") == [] and area.find_elements(By.TAG_NAME, "script") == []
    assert caption.is_displayed()
    text = caption.text
    assert "orgnet ties view: 50 nodes, 73 edges" in text
    assert "not trusted" in text and "File ▸ Trust Notebook" in text and "jupyter trust" in text
    assert 'view.save("ties.html")' in text
    # no "this output contains scripts: run?" prompt from JupyterLab
    assert "inline scripts" not in area.text


def test_large_view_aggregated_inline_and_show_link_opens_the_page(lab, browser):
    import nbformat
    from selenium.webdriver.common.by import By

    url, _, root, _ = lab
    nbformat.write(_notebook(LARGE, SHOW), root / "large.ipynb")
    before = sorted(p.name for p in root.iterdir())
    panel = open_notebook(browser, lab, "large.ipynb")
    wait(browser, lambda d: d.execute_script(
        "var w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        "return !!(w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.connectionStatus === 'connected');"), "the kernel")
    run_cell(browser, 0)
    frame = wait(browser, lambda d: panel.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output iframe"),
                 "the aggregated view's iframe")[0]
    caption = panel.find_element(By.CSS_SELECTOR, ".jp-OutputArea-output .orgnet-caption").text
    assert "orgnet ties view: 2,496 nodes" in caption
    assert "Shown here aggregated to community level" in caption and "too large for a notebook cell" in caption
    state = assert_view_drawn_in_frame(browser, frame)
    assert int(state["nodes"]) < 2496
    assert "Shown aggregated inside the notebook" in state["notes"]
    assert sorted(p.name for p in root.iterdir()) == before  # displaying wrote nothing

    run_cell(browser, 1)
    link = wait(browser, lambda d: panel.find_elements(By.CSS_SELECTOR, ".orgnet-saved a"), "the show() link")[0]
    saved = root / "ties-full.html"
    assert saved.exists() and saved.stat().st_size > 2_000_000
    text = panel.find_element(By.CSS_SELECTOR, ".orgnet-saved").text
    assert str(saved.resolve()) in text  # where the file is, for a file manager
    href = link.get_attribute("href")
    assert href == f"{url}/files/ties-full.html", href
    tabs = set(browser.window_handles)
    link.click()
    wait(browser, lambda d: len(d.window_handles) > len(tabs), "the link to open a new tab")
    new = (set(browser.window_handles) - tabs).pop()
    browser.switch_to.window(new)
    try:
        wait(browser, lambda d: d.current_url.startswith(f"{url}/files/ties-full.html"), "the saved page")
        state = assert_view_drawn_in_frame(browser, None)
        assert state["nodes"] == "2496"  # the full view, not the aggregated one
    finally:
        browser.close()
        browser.switch_to.window(min(tabs))
