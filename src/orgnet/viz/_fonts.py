"""Fonts with Chinese glyphs for matplotlib charts (and the CSS stack for HTML pages).

matplotlib's default font (DejaVu Sans) has no CJK glyphs: Chinese names would
be drawn as empty boxes ("tofu"). :func:`cjk_font` finds a font that has them;
the chart functions of :mod:`orgnet.viz.plots` apply it to every text they
draw, and warn once (:class:`~orgnet.OrgnetWarning`) when there is none.

A font is chosen by what it *draws*, not by what its character map claims:
matplotlib >= 3.11 bundles "Last Resort", whose map claims every code point
and draws one placeholder box per Unicode block. :func:`draws_real_glyphs`
renders a few Chinese characters and refuses a font that draws the same
picture for different characters, nothing, or its ``.notdef`` glyph.

Where the fonts come from, in order: a CJK font known to matplotlib (system
fonts), one installed after matplotlib built its font cache, and the font of
the optional ``cjk`` extra (``pip install "orgnet[cjk]"``: the PyPI package
``noto-cjk-sans-otc``, Noto Sans CJK), registered with matplotlib in memory on
first use. Without any, charts draw Latin text in DejaVu Sans (never in a
placeholder font) and warn once.

For HTML, :func:`figure_svg` writes a figure as inline SVG whose text stays
text, so the browser draws Chinese with its own fonts (:data:`CSS_FONT_STACK`).
"""

from __future__ import annotations

import io
import os
import re
import warnings

from ..errors import OrgnetWarning

__all__ = ["CSS_FONT_STACK", "CJK_FONT_NAMES", "CJK_EXTRA_MODULE", "SAMPLE_TEXT", "cjk_font", "apply_cjk_font",
           "draws_real_glyphs", "figure_svg"]

#: font-family stack for HTML pages and vis-network labels (the browser picks the first it has)
CSS_FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
                  '"Hiragino Sans GB", "WenQuanYi Micro Hei", "SimHei", "Noto Sans", sans-serif')

#: font family names with CJK glyphs, in order of preference (sans-serif first)
CJK_FONT_NAMES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK HK", "Noto Sans CJK KR",
    "Source Han Sans", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Droid Sans Fallback",
    "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "AR PL UMing CN", "AR PL UKai CN",
)

#: the module of the ``cjk`` extra (PyPI ``noto-cjk-sans-otc``); its ``FONT_PATH`` is Noto Sans CJK
CJK_EXTRA_MODULE = "noto_cjk_sans_otc"

#: Chinese characters a CJK font must draw, each as its own glyph
SAMPLE_TEXT = "中国社区党建"

#: the font charts fall back to for Latin text (bundled with matplotlib)
LATIN_FONT = "DejaVu Sans"

_found: list = []  # [name or None] once detected
_warned = False
_verdicts: dict = {}  # (path, face index, text) -> bool: draws_real_glyphs, once per file


def _load_flags():
    from matplotlib import ft2font

    flags = getattr(ft2font, "LoadFlags", None)  # matplotlib >= 3.10
    return flags.NO_HINTING if flags is not None else ft2font.LOAD_NO_HINTING


def _bitmap(font, ch: str, flags) -> tuple:
    """What ``font`` draws for ``ch`` (its own glyphs only): (shape, bytes, has ink)."""
    import numpy as np

    font.clear()
    font.set_size(48, 72)
    font.set_text(ch, 0.0, flags=flags)
    font.draw_glyphs_to_bitmap(antialiased=False)
    img = np.asarray(font.get_image())
    return img.shape, img.tobytes(), bool(img.any())


def _outline(font, flags, *, glyph: int | None = None, char: int | None = None):
    """The outline of a glyph (by index) or of a character, or None when it has none."""
    import numpy as np

    if glyph is not None:
        font.load_glyph(glyph, flags)
    else:
        font.load_char(char, flags)
    verts, codes = font.get_path()
    verts = np.asarray(verts)
    if verts.size == 0:
        return None
    return verts.tobytes(), np.asarray(codes).tobytes()


def draws_real_glyphs(path, text: str = SAMPLE_TEXT, *, face_index: int = 0) -> bool:
    """Whether the font file at ``path`` draws a real, distinct glyph for each character of ``text``.

    A placeholder font (matplotlib's bundled "Last Resort") claims every code
    point in its character map but draws one box for a whole Unicode block.
    The font is rendered, not trusted: every distinct character must be in
    its map, map to a glyph other than ``.notdef`` (glyph 0), draw some ink,
    draw a picture no other character of ``text`` draws, and have an outline
    other than the ``.notdef`` outline (white space is not judged). The
    verdict is cached per file and text.

    Parameters
    ----------
    path : str or path-like
        A TrueType / OpenType font file or collection.
    text : str, default :data:`SAMPLE_TEXT`
        The characters to draw; at least two distinct ones make the
        "same picture" test meaningful.
    face_index : int, default 0
        The face of a font collection (``.ttc``).

    Returns
    -------
    bool
        False also when the file cannot be read as a font.

    Notes
    -----
    Each character is rasterised once at 48 px without hinting: O(len(text))
    glyphs, about a millisecond per font file.

    Examples
    --------
    >>> import matplotlib
    >>> from pathlib import Path
    >>> ttf = Path(matplotlib.get_data_path(), "fonts", "ttf")
    >>> draws_real_glyphs(ttf / "LastResortHE-Regular.ttf")  # claims 中国, draws one box
    False
    >>> draws_real_glyphs(ttf / "DejaVuSans.ttf")  # no Chinese glyphs
    False
    >>> draws_real_glyphs(ttf / "DejaVuSans.ttf", "Orgnet")  # but real Latin ones
    True
    """
    key = (os.fspath(path), face_index, text)
    if key not in _verdicts:
        _verdicts[key] = _judge(key[0], text, face_index)
    return _verdicts[key]


def _judge(path: str, text: str, face_index: int) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path, face_index=face_index) if face_index else FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    codes = [ord(ch) for ch in dict.fromkeys(text) if not ch.isspace()]  # spaces draw nothing, rightly
    if not codes:
        return False
    glyphs = [font.get_char_index(code) for code in codes]  # 0: not in the character map
    if 0 in glyphs or len(set(glyphs)) < len(glyphs):  # missing, or one glyph for several characters
        return False
    flags = _load_flags()
    pictures = [_bitmap(font, chr(code), flags) for code in codes]
    if not all(ink for _, _, ink in pictures):  # blank glyphs
        return False
    if len({(shape, data) for shape, data, _ in pictures}) < len(pictures):  # the same box for distinct characters
        return False
    notdef = _outline(font, flags, glyph=0)
    return notdef is None or all(_outline(font, flags, char=code) != notdef for code in codes)


def cjk_font() -> str | None:
    """Family name of a font that draws Chinese, registered with matplotlib, or None (detected once).

    Tried in order: the known family names (``CJK_FONT_NAMES``) among the
    fonts matplotlib knows; any other font matplotlib knows; a CJK font file
    installed after matplotlib built its font cache; the font of the ``cjk``
    extra (``CJK_EXTRA_MODULE``). Files of the last two are registered
    with matplotlib (``fontManager.addfont``, in memory: nothing is written).
    Each candidate must draw real glyphs for a sample of Chinese text (not
    placeholder boxes), so a placeholder font is never chosen.

    Returns
    -------
    str or None
        None when no font draws Chinese (:func:`apply_cjk_font` then warns).

    Notes
    -----
    Measured on Linux with matplotlib 3.11: under 10 ms with a system CJK
    font; under 20 ms with none (each font family matplotlib knows is opened
    once); about 25 ms when the extra's font collection is registered. Once
    per process.

    Examples
    --------
    To give matplotlib's own defaults the same font (for charts drawn without
    orgnet's helpers), put it first in ``font.sans-serif``:

    >>> import matplotlib
    >>> import orgnet
    >>> name = orgnet.viz.cjk_font()  # e.g. 'Noto Sans CJK SC'; None without a CJK font
    >>> with matplotlib.rc_context({"font.sans-serif": [name or "DejaVu Sans", "DejaVu Sans"]}):
    ...     pass  # charts drawn here use it
    >>> orgnet.viz.cjk_font() is name  # detected once per process
    True
    """
    if _found:
        return _found[0]
    from matplotlib import font_manager

    by_name: dict[str, list[tuple[str, int]]] = {}
    for f in font_manager.fontManager.ttflist:
        by_name.setdefault(f.name, []).append((f.fname, getattr(f, "index", 0)))
    name = None
    for cand in CJK_FONT_NAMES:
        if any(draws_real_glyphs(p, face_index=i) for p, i in by_name.get(cand, ())):
            name = cand
            break
    if name is None:
        for fam, faces in sorted(by_name.items()):
            if draws_real_glyphs(faces[0][0], face_index=faces[0][1]):
                name = fam
                break
    if name is None:
        name = _register_system_font(font_manager)
    if name is None:
        name = _register_extra_font(font_manager)
    _found.append(name)
    return name


_FILE_HINTS = ("notosanscjk", "notoserifcjk", "notosanssc", "sourcehan", "wqy", "wenquanyi", "msyh", "simhei",
               "simsun", "pingfang", "hiragino", "droidsansfallback", "uming", "ukai", "heiti", "stheiti")


def _register(font_manager, path: str) -> str:
    """Register a font file with matplotlib (once) and return its preferred family name."""
    def entries():
        return [f for f in font_manager.fontManager.ttflist if os.path.abspath(f.fname) == os.path.abspath(path)]

    if not entries():
        font_manager.fontManager.addfont(path)
    names = {f.name for f in entries()}
    return next((cand for cand in CJK_FONT_NAMES if cand in names),
                font_manager.FontProperties(fname=path).get_name())


def _register_system_font(font_manager) -> str | None:
    """A CJK font installed after matplotlib built its font cache: find it among the
    system's font files, register it with matplotlib, and return its family name."""
    try:
        paths = font_manager.findSystemFonts()
    except (OSError, RuntimeError):  # pragma: no cover - unusual systems
        return None
    candidates = sorted((p for p in paths if any(h in p.lower().replace("-", "").replace("_", "") for h in _FILE_HINTS)),
                        key=lambda p: ("regular" not in p.lower(), "sans" not in p.lower(), p))
    for path in candidates:
        if draws_real_glyphs(path):
            return _register(font_manager, path)
    return None


def _register_extra_font(font_manager) -> str | None:
    """The font file of the ``cjk`` extra, when that package is importable: registered
    with matplotlib (in memory) and its family name returned."""
    import importlib

    try:
        module = importlib.import_module(CJK_EXTRA_MODULE)
        path = os.fspath(module.FONT_PATH)  # a file inside the installed package
    except (ImportError, AttributeError, TypeError):
        return None
    if not os.path.isfile(path) or not draws_real_glyphs(path):
        return None
    return _register(font_manager, path)


def _warn_missing() -> None:
    global _warned
    if _warned:
        return
    _warned = True
    warnings.warn(
        "No font with Chinese glyphs is installed for matplotlib: Chinese names in charts would "
        "show as empty boxes (Latin text is drawn in DejaVu Sans; the HTML report's charts use the "
        "browser's fonts). Install one: pip install \"orgnet[cjk]\" (Noto Sans CJK from PyPI, no "
        "root needed), or apt-get install fonts-noto-cjk (Debian/Ubuntu) and then clear "
        "matplotlib's font cache (rm -rf ~/.cache/matplotlib); Windows and macOS have "
        "Microsoft YaHei / PingFang SC.",
        OrgnetWarning,
        stacklevel=3,
    )


def apply_cjk_font(fig) -> str | None:
    """Give every text of ``fig`` (and ticks drawn later) a font family that draws it.

    The CJK font comes first, with DejaVu Sans (bundled with matplotlib) as
    the per-glyph fallback. When no font draws Chinese, every text gets
    DejaVu Sans, so Latin text stays readable, and one
    :class:`~orgnet.OrgnetWarning` per process says what to install.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    str or None
        The CJK font's family name, or None when there is none.

    Examples
    --------
    Call it after adding the last text to a figure of your own (orgnet's
    charts call it themselves); the family list starts with the CJK font found
    on this machine, if any:

    >>> import orgnet
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = fig.add_subplot()
    >>> t = ax.set_title("东湖街道")
    >>> name = orgnet.viz.apply_cjk_font(fig)
    >>> t.get_fontfamily() == ([name] if name else []) + ["DejaVu Sans"]
    True
    """
    from matplotlib.text import Text

    name = cjk_font()
    family = [name, LATIN_FONT] if name is not None else [LATIN_FONT]
    for t in fig.findobj(Text):
        t.set_fontfamily(family)
    for ax in fig.get_axes():
        try:
            ax.tick_params(labelfontfamily=family)  # matplotlib >= 3.8: ticks made later too
        except (TypeError, ValueError):  # pragma: no cover - older matplotlib
            pass
    if name is None:
        _warn_missing()
    return name


_SVG = "http://www.w3.org/2000/svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_REF = re.compile(r"url\(#([^)]+)\)")


def _css_families(stack: str) -> list[str]:
    return [f.strip().strip("'\"") for f in stack.split(",") if f.strip()]


_GENERIC = ("serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui")


def _with_stack(decl: str, stack: list[str]) -> str:
    """A CSS declaration; a ``font-family`` one gets the families of ``stack`` it lacks,
    generic families last (``sans-serif`` at the end)."""
    prop, _, value = decl.partition(":")
    if prop.strip() != "font-family":
        return decl
    families = _css_families(value)
    families += [f for f in stack if f not in families]
    families = [f for f in families if f not in _GENERIC] + [f for f in families if f in _GENERIC]
    if "sans-serif" not in families:
        families.append("sans-serif")
    return " font-family: " + ", ".join(f if f in _GENERIC else "'" + f.replace("'", "") + "'" for f in families)


def figure_svg(fig, *, id_prefix: str = "chart", font_stack: str = CSS_FONT_STACK, title: str | None = None,
               style: str | None = None, **savefig_kwargs) -> str:
    """A figure as an inline ``<svg>`` element whose text stays text, for an HTML page.

    Text is written as ``<text>`` elements (``svg.fonttype = "none"``), so
    the browser draws it with its own fonts and Chinese renders wherever the
    reader has a CJK font. Each text's ``font-family`` is the family the
    chart was laid out with, then ``font_stack`` (CJK families browsers
    have), ending with ``sans-serif``. Every ``id`` (and each reference to
    one) gets ``id_prefix``, so several charts can share a page. Label text
    is XML-escaped (``<`` becomes ``&lt;``). matplotlib's stylesheet is scoped
    to the chart (``#id_prefix *``), the root having ``id=id_prefix``. Metadata (creation date) is
    dropped: the same figure gives the same SVG.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    id_prefix : str, default "chart"
        Prefix of every id; must be unique on the page.
    font_stack : str, default :data:`CSS_FONT_STACK`
        CSS font families to append to each text's family.
    title : str, optional
        Accessible name of the chart (``role="img"``, ``aria-label``).
    style : str, optional
        CSS of the ``<svg>`` element (e.g. ``"max-width: 100%; height: auto"``).
    **savefig_kwargs
        Passed to ``fig.savefig`` (e.g. ``bbox_inches``).

    Returns
    -------
    str
        One ``<svg>`` element, without XML declaration or DOCTYPE.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.text(0.1, 0.5, "East Lake <b>&")
    >>> svg = figure_svg(fig, id_prefix="c1")
    >>> svg.startswith("<svg")
    True
    >>> import re
    >>> re.search(r"<text[^>]*>([^<]*)</text>", svg).group(1)
    'East Lake &lt;b&gt;&amp;'
    >>> re.findall(r'id="([^"]*)"', svg)[:3]
    ['c1', 'c1-figure_1', 'c1-patch_1']
    >>> families = re.search(r"font-family: ([^;]*)", svg).group(1).split(", ")
    >>> families[0], families[-2:]
    ("'DejaVu Sans'", ["'Noto Sans'", 'sans-serif'])
    """
    import xml.etree.ElementTree as ET

    from matplotlib import rc_context

    buf = io.BytesIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": id_prefix}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, **savefig_kwargs)
    root = ET.fromstring(buf.getvalue())
    stack = _css_families(font_stack)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{_SVG}}}metadata":
                parent.remove(child)
    for el in root.iter():
        el.tag = el.tag.removeprefix(f"{{{_SVG}}}")  # one namespace: xmlns on the root
        if "id" in el.attrib:
            el.set("id", f"{id_prefix}-{el.get('id')}")
        href = el.attrib.pop(_XLINK_HREF, None) or el.get("href")
        if href is not None:
            el.set("href", f"#{id_prefix}-{href[1:]}" if href.startswith("#") else href)
        for attr, value in list(el.attrib.items()):
            if "url(#" in value:
                el.set(attr, _REF.sub(lambda m: f"url(#{id_prefix}-{m.group(1)})", value))
        if el.tag == "style" and el.text:  # matplotlib's "*{stroke-...}": this chart only, not the page
            el.text = re.sub(r"(^|})\s*\*", rf"\1#{id_prefix} *", el.text)
        css = el.get("style")
        if css and "font-family" in css:
            el.set("style", ";".join(_with_stack(decl, stack) for decl in css.split(";")))
    root.set("xmlns", _SVG)
    root.set("id", id_prefix)
    root.set("class", "orgnet-chart")
    if style is not None:
        root.set("style", style)
    if title is not None:
        root.set("role", "img")
        root.set("aria-label", title)
    return ET.tostring(root, encoding="unicode")
