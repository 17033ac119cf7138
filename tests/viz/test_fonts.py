"""Fonts: placeholder fonts are refused by what they draw; a machine whose matplotlib sees
no CJK font (system fonts hidden in a mount namespace) draws Latin text in DejaVu Sans,
warns once, and writes a report whose SVG charts keep Chinese as text; the ``cjk``
extra's font is found and registered; inline SVG is escaped, scoped and uniquely id'd."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

mpl = pytest.importorskip("matplotlib", reason="the viz extra is not installed: pip install 'orgnet[viz]'")
mpl.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

from orgnet.errors import OrgnetWarning  # noqa: E402
from orgnet.viz import _fonts  # noqa: E402
from viz_helpers import remote_loads, require  # noqa: E402

TTF = Path(mpl.get_data_path(), "fonts", "ttf")
LAST_RESORT = TTF / "LastResortHE-Regular.ttf"
DEJAVU = TTF / "DejaVuSans.ttf"
FONT_HINT = "a CJK font (apt-get install fonts-noto-cjk)"

# a machine without a CJK font warns once (tested below); the other tests draw anyway
pytestmark = pytest.mark.filterwarnings("ignore:No font with Chinese glyphs:orgnet.errors.OrgnetWarning")


def system_noto() -> tuple[str, int] | None:
    """(file, face index) of the installed Noto Sans CJK SC (regular weight), or None."""
    faces = [f for f in font_manager.fontManager.ttflist if f.name == "Noto Sans CJK SC" and f.weight in (400, "normal")
             and f.style == "normal"]
    faces.sort(key=lambda f: ("Regular" not in f.fname, f.fname))
    return (faces[0].fname, getattr(faces[0], "index", 0)) if faces else None


# ------------------------------------------------------------------ placeholder detection, real fonts


def test_last_resort_is_refused_though_its_map_claims_chinese():
    if not LAST_RESORT.exists():
        pytest.skip("this matplotlib (< 3.11) bundles no Last Resort font")
    cmap = FT2Font(str(LAST_RESORT)).get_charmap()
    assert all(ord(ch) in cmap for ch in _fonts.SAMPLE_TEXT)  # why a character-map check is not enough
    assert _fonts.draws_real_glyphs(LAST_RESORT) is False
    assert _fonts.draws_real_glyphs(LAST_RESORT, "Coverage") is False  # placeholders for Latin too


def test_dejavu_draws_latin_but_no_chinese():
    assert _fonts.draws_real_glyphs(DEJAVU) is False
    assert _fonts.draws_real_glyphs(DEJAVU, "Coverage by street 0123%") is True


def test_installed_noto_sans_cjk_is_accepted():
    noto = system_noto()
    require(noto is not None, FONT_HINT)
    path, index = noto
    assert _fonts.draws_real_glyphs(path, face_index=index) is True
    assert _fonts.draws_real_glyphs(path, "东湖街道西园春晖秋实", face_index=index) is True
    assert (path, index, _fonts.SAMPLE_TEXT) in _fonts._verdicts  # judged once per file


def test_unreadable_file_is_refused(tmp_path):
    bad = tmp_path / "broken.ttf"
    bad.write_bytes(b"not a font")
    assert _fonts.draws_real_glyphs(bad) is False
    assert _fonts.draws_real_glyphs(tmp_path / "absent.ttf") is False


# ------------------------------------------------------------------ placeholder detection, crafted fonts


def _rect(pen, x0, y0, x1, y1):
    pen.moveTo((x0, y0))
    pen.lineTo((x0, y1))
    pen.lineTo((x1, y1))
    pen.lineTo((x1, y0))
    pen.closePath()


def crafted_font(path: Path, drawings: dict[str, str]) -> Path:
    """A TrueType font mapping each character to its own glyph drawn as named:
    "notdef" (the .notdef box), "box" (a copy of it), "blank", "unmapped" (not in the
    map), or "bar<n>" (a distinct bar, n = 1, 2, ...)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def glyph(kind):
        pen = TTGlyphPen(None)
        if kind in ("notdef", "box"):
            _rect(pen, 50, 0, 550, 700)
            _rect(pen, 100, 50, 500, 650)
        elif kind.startswith("bar"):
            n = int(kind[3:])
            _rect(pen, 40 * n, 0, 40 * n + 80 + 10 * n, 300 + 60 * n)
        return pen.glyph()

    names = [".notdef"] + [f"g{i}" for i in range(len(drawings))]
    glyphs = {".notdef": glyph("notdef")}
    cmap = {}
    for i, (ch, kind) in enumerate(drawings.items()):
        glyphs[f"g{i}"] = glyph(kind)
        if kind != "unmapped":
            cmap[ord(ch)] = f"g{i}"
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap(cmap)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (600, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": f"Crafted {path.stem}", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    fb.save(str(path))
    return path


@pytest.mark.parametrize("drawings, real", [
    ({"中": "bar1", "国": "bar2", "社": "bar3"}, True),          # a real font: distinct drawings
    ({"中": "box", "国": "box", "社": "box"}, False),            # distinct glyphs, one identical box
    ({"中": "bar1", "国": "bar1", "社": "bar2"}, False),         # two characters drawn alike
    ({"中": "bar1", "国": "box", "社": "bar2"}, False),          # a glyph that is the .notdef box
    ({"中": "bar1", "国": "blank", "社": "bar2"}, False),        # a glyph with no ink
    ({"中": "bar1", "国": "unmapped", "社": "bar2"}, False),     # a character missing from the map
], ids=["distinct", "same-box", "two-alike", "notdef", "blank", "unmapped"])
def test_crafted_fonts(tmp_path, drawings, real):
    path = crafted_font(tmp_path / "crafted.ttf", drawings)
    assert _fonts.draws_real_glyphs(path, "中国社") is real


def test_notdef_lookalike_alone_is_refused(tmp_path):
    # one character: no other to compare with; only its likeness to .notdef gives it away
    assert _fonts.draws_real_glyphs(crafted_font(tmp_path / "a.ttf", {"中": "box"}), "中") is False
    assert _fonts.draws_real_glyphs(crafted_font(tmp_path / "b.ttf", {"中": "bar1"}), "中") is True


# ------------------------------------------------------------------ choosing a font


def test_extra_font_is_registered_when_the_package_is_importable(monkeypatch):
    noto = system_noto()
    require(noto is not None, FONT_HINT)
    fake = types.ModuleType(_fonts.CJK_EXTRA_MODULE)
    fake.FONT_PATH = Path(noto[0])
    monkeypatch.setitem(sys.modules, _fonts.CJK_EXTRA_MODULE, fake)
    assert _fonts._register_extra_font(font_manager) == "Noto Sans CJK SC"
    fake.FONT_PATH = LAST_RESORT if LAST_RESORT.exists() else DEJAVU  # a placeholder is never registered
    assert _fonts._register_extra_font(font_manager) is None
    monkeypatch.setitem(sys.modules, _fonts.CJK_EXTRA_MODULE, None)  # not installed
    assert _fonts._register_extra_font(font_manager) is None


def test_the_real_extra_package_brings_a_chinese_font():
    pkg = pytest.importorskip(_fonts.CJK_EXTRA_MODULE,
                              reason='the cjk extra is not installed: pip install "orgnet[cjk]"')
    path = os.fspath(pkg.FONT_PATH)
    assert _fonts.draws_real_glyphs(path)
    assert "Noto Sans CJK SC" in {FT2Font(path, face_index=i).family_name for i in range(FT2Font(path).num_faces)}


def test_without_cjk_font_latin_is_dejavu_and_one_warning(monkeypatch):
    monkeypatch.setattr(_fonts, "_found", [None])
    monkeypatch.setattr(_fonts, "_warned", False)
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_title("Coverage 覆盖率")
    ax.set_yticks([0, 1], ["East Lake", "West Garden"])
    with pytest.warns(OrgnetWarning, match=r'pip install "orgnet\[cjk\]".*fonts-noto-cjk') as rec:
        assert _fonts.apply_cjk_font(fig) is None
        _fonts.apply_cjk_font(Figure())
    assert len([w for w in rec if issubclass(w.category, OrgnetWarning)]) == 1
    for t in [ax.title] + ax.get_yticklabels():
        assert t.get_fontfamily() == ["DejaVu Sans"]
        assert Path(font_manager.findfont(t.get_fontproperties())).name == "DejaVuSans.ttf"


# ------------------------------------------------------------------ inline SVG


HOSTILE_LABEL = "<script>alert(1)</script> & 东湖街道"


def hostile_figure():
    fig = Figure(figsize=(4, 2.5), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow([[0, 1], [1, 0]], extent=(0, 0.2, 0, 0.5), aspect="auto")  # an embedded image
    ax.barh([0, 1], [0.4, 0.7])
    ax.scatter([0.1], [0.2])  # markers: <use href="#...">
    ax.set_yticks([0, 1], [HOSTILE_LABEL, 'id="figure_1" url(#p1)'])
    ax.set_ylim(-0.5, 1.5)
    ax.set_title("Coverage 覆盖率")
    _fonts.apply_cjk_font(fig)
    return fig


def test_svg_keeps_text_as_text_escaped():
    svg = _fonts.figure_svg(hostile_figure(), id_prefix="c1", title="by street <b>", style="max-width: 100%")
    root = ET.fromstring(svg)  # well-formed
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("aria-label") == "by street <b>"
    assert root.get("style") == "max-width: 100%" and root.get("id") == "c1"
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert HOSTILE_LABEL in texts and "Coverage 覆盖率" in texts
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 东湖街道" in svg
    assert "<metadata" not in svg and "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert not remote_loads(svg)
    assert re.search(r"<style[^>]*>#c1 \*\{", svg)  # matplotlib's stylesheet applies to this chart only


def test_svg_font_family_is_a_css_stack():
    svg = _fonts.figure_svg(hostile_figure(), id_prefix="c1")
    stacks = set(re.findall(r"font-family: ([^;\"]*)", svg))
    assert stacks
    css = [f.strip().strip('"') for f in _fonts.CSS_FONT_STACK.split(",")]
    for stack in stacks:
        families = [f.strip().strip("'") for f in stack.split(",")]
        assert families[-1] == "sans-serif" and families.count("sans-serif") == 1
        assert set(css) <= set(families)
        assert "Last Resort High-Efficiency" not in families


def test_svg_ids_are_unique_and_references_resolve():
    fig = hostile_figure()
    a, b = _fonts.figure_svg(fig, id_prefix="c1"), _fonts.figure_svg(fig, id_prefix="c2")
    page = a + b
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) > 10
    for svg, prefix in ((a, "c1"), (b, "c2")):
        elements = list(ET.fromstring(svg).iter())
        own = {el.get("id") for el in elements if el.get("id")}
        refs = [m for el in elements for v in el.attrib.values()
                for m in re.findall(r"^#(.+)$|url\(#([^)]+)\)", v) for m in m if m]
        assert len(refs) > 3 and all(r in own and r.startswith(prefix + "-") for r in refs)
    assert "xlink:" not in page  # plain href (SVG 2): HTML parses no namespace prefixes
    assert 'id="figure_1" url(#p1)' in page  # label text is not rewritten
    # deterministic: the same chart gives the same SVG (no date, ids from content and prefix)
    assert _fonts.figure_svg(hostile_figure(), id_prefix="c3") == _fonts.figure_svg(hostile_figure(), id_prefix="c3")


# ------------------------------------------------------------------ a machine without CJK fonts


DRIVER = r'''
import json, sys, time, warnings
out = sys.argv[1]
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager  # builds matplotlib's font cache (fresh MPLCONFIGDIR)
from matplotlib.text import Text
t0 = time.perf_counter()
from orgnet.viz import _fonts
name = _fonts.cjk_font()
detect_s = time.perf_counter() - t0
import orgnet
from orgnet.errors import OrgnetWarning
from orgnet.viz import plots
net = orgnet.datasets.load("demo")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ax = plots.coverage_bars(net)
    plots.rate_heatmap(net)
    ax.figure.savefig(out + "/chart.png", dpi=100)
rows = []
for t in ax.figure.findobj(Text):
    s = t.get_text()
    if not s:
        continue
    f = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
    index = getattr(f, "face_index", 0)
    latin = "".join(dict.fromkeys(c for c in s if c.isascii() and c.isalnum()))
    cjk = "".join(dict.fromkeys(c for c in s if "\u4e00" <= c <= "\u9fff"))
    rows.append({"text": s, "family": t.get_fontfamily(), "file": str(f),
                 "latin_drawn": _fonts.draws_real_glyphs(f, latin, face_index=index) if latin else None,
                 "cjk_drawn": _fonts.draws_real_glyphs(f, cjk, face_index=index) if cjk else None})
print(json.dumps({"cjk_font": name, "detect_s": detect_s, "texts": rows,
                  "warnings": [str(w.message) for w in caught if issubclass(w.category, OrgnetWarning)]}))
'''


def _namespace_ok() -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


def run_without_system_fonts(tmp_path: Path, commands: list[list[str]], *, pythonpath: Path) -> list[str]:
    """Run commands in a mount namespace where every system and user font folder is an empty
    folder, matplotlib's cache is new and ``pythonpath`` comes first on the import path."""
    empty = tmp_path / "empty"
    empty.mkdir()
    hidden = [d for d in ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"),
                          os.path.expanduser("~/.local/share/fonts")) if os.path.isdir(d)]
    mounts = "".join(f'mount --bind "{empty}" "{d}" && ' for d in hidden)
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mplconfig"),
               PYTHONPATH=os.pathsep.join([str(pythonpath)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    outs = []
    for cmd in commands:
        proc = subprocess.run(["unshare", "-m", "sh", "-c", mounts + 'exec "$@"', "sh", *cmd], env=env,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        outs.append(proc.stdout)
    return outs


def fake_extra(folder: Path, font: str | None) -> Path:
    """A package named like the cjk extra's: without ``font`` importing it fails (the extra is
    not installed); with it, its FONT_PATH is a copy of ``font`` inside the package."""
    pkg = folder / _fonts.CJK_EXTRA_MODULE
    pkg.mkdir(parents=True)
    if font is None:
        (pkg / "__init__.py").write_text('raise ImportError("the cjk extra is hidden by the test")\n')
    else:
        shutil.copy(font, pkg / Path(font).name)
        (pkg / "__init__.py").write_text("from pathlib import Path\n"
                                         f"FONT_PATH = Path(__file__).with_name({Path(font).name!r})\n")
    return folder


def orgnet_command() -> list[str]:
    exe = shutil.which("orgnet")
    return [exe] if exe else [sys.executable, "-c", "import sys; from orgnet.cli import main; sys.exit(main())"]


def test_no_cjk_font_anywhere_latin_readable_report_svg(tmp_path):
    require(_namespace_ok(), "root and a working `unshare -m` (util-linux) to hide the system fonts")
    (tmp_path / "driver.py").write_text(DRIVER, encoding="utf-8")
    report = tmp_path / "report.html"
    drawn, _ = run_without_system_fonts(
        tmp_path, [[sys.executable, str(tmp_path / "driver.py"), str(tmp_path)],
                   orgnet_command() + ["report", "demo", "-o", str(report), "--quiet"]],
        pythonpath=fake_extra(tmp_path / "site", None))
    result = json.loads(drawn.splitlines()[-1])
    assert result["cjk_font"] is None
    assert len(result["warnings"]) == 1, result["warnings"]  # two charts, one warning
    assert 'pip install "orgnet[cjk]"' in result["warnings"][0] and "fonts-noto-cjk" in result["warnings"][0]
    texts = result["texts"]
    assert {"东湖街道", "share of units 单位占比"} <= {t["text"] for t in texts}
    for t in texts:
        assert t["family"] == ["DejaVu Sans"], t
        assert Path(t["file"]).name == "DejaVuSans.ttf", t  # never the placeholder font
        assert t["latin_drawn"] in (True, None), t  # Latin letters are real glyphs, not boxes
    assert (tmp_path / "chart.png").stat().st_size > 1000
    assert result["detect_s"] < 3.0

    page = report.read_text(encoding="utf-8")
    assert page.count("No font with Chinese glyphs") == 1  # one note in the report
    assert '<img class="orgnet-chart"' not in page and page.count('<svg ') >= 3
    charts = re.findall(r'<svg [^>]*class="orgnet-chart"[^>]*>', page)
    assert len(charts) == page.count("<svg ") and all('style="max-width: 100%' in c for c in charts)
    svg_texts = re.findall(r"<text\b[^>]*>([^<]*)</text>", page)
    assert "东湖街道" in svg_texts and "西园街道" in svg_texts
    assert "Last Resort" not in page
    families = set(re.findall(r"<text\b[^>]*font-family: ([^;\"]*)", page))
    assert families and all("'Noto Sans CJK SC'" in f and f.endswith("sans-serif") for f in families)
    ids = re.findall(r'<[^>]*\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert not remote_loads(page)


def test_cjk_extra_font_found_without_system_fonts(tmp_path):
    require(_namespace_ok(), "root and a working `unshare -m` (util-linux) to hide the system fonts")
    noto = system_noto()
    require(noto is not None, FONT_HINT)
    (tmp_path / "driver.py").write_text(DRIVER, encoding="utf-8")
    site = fake_extra(tmp_path / "site", noto[0])
    (drawn,) = run_without_system_fonts(tmp_path, [[sys.executable, str(tmp_path / "driver.py"), str(tmp_path)]],
                                        pythonpath=site)
    result = json.loads(drawn.splitlines()[-1])
    assert result["cjk_font"] == "Noto Sans CJK SC"
    assert result["warnings"] == []
    chinese = [t for t in result["texts"] if t["cjk_drawn"] is not None]
    assert chinese and all(t["cjk_drawn"] for t in chinese)
    packaged = os.path.realpath(site / _fonts.CJK_EXTRA_MODULE / Path(noto[0]).name)
    assert all(os.path.realpath(t["file"]) == packaged for t in chinese)
