"""Fonts with Chinese glyphs for matplotlib charts (and the CSS stack for HTML pages).

matplotlib's default font (DejaVu Sans) has no CJK glyphs: Chinese names would
be drawn as empty boxes ("tofu"). :func:`cjk_font` finds an installed font that
has them; the chart functions of :mod:`orgnet.viz.plots` apply it to every text
they draw, and warn once (:class:`~orgnet.OrgnetWarning`) when there is none.
"""

from __future__ import annotations

import warnings

from ..errors import OrgnetWarning

__all__ = ["CSS_FONT_STACK", "CJK_FONT_NAMES", "cjk_font", "apply_cjk_font"]

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

_SAMPLE = "中国社区党建"
_found: list = []  # [name or None] once detected
_warned = False


def _has_glyphs(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        cmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(ch) in cmap for ch in _SAMPLE)


def cjk_font() -> str | None:
    """Family name of an installed font with Chinese glyphs, or None (detected once).

    Known family names are tried first (:data:`CJK_FONT_NAMES`); failing those,
    any font registered with matplotlib whose character map holds common
    Chinese characters; failing those, a CJK font file installed after
    matplotlib built its font cache (it is registered with matplotlib).

    Examples
    --------
    >>> from orgnet.viz._fonts import cjk_font
    >>> name = cjk_font()
    >>> name is None or isinstance(name, str)
    True
    """
    if _found:
        return _found[0]
    from matplotlib import font_manager

    fonts = font_manager.fontManager.ttflist
    by_name: dict[str, list[str]] = {}
    for f in fonts:
        by_name.setdefault(f.name, []).append(f.fname)
    name = None
    for cand in CJK_FONT_NAMES:
        if cand in by_name and any(_has_glyphs(p) for p in by_name[cand]):
            name = cand
            break
    if name is None:
        for fam, paths in sorted(by_name.items()):
            if any(_has_glyphs(p) for p in paths[:1]):
                name = fam
                break
    if name is None:
        name = _register_system_font(font_manager)
    _found.append(name)
    return name


_FILE_HINTS = ("notosanscjk", "notoserifcjk", "notosanssc", "sourcehan", "wqy", "wenquanyi", "msyh", "simhei",
               "simsun", "pingfang", "hiragino", "droidsansfallback", "uming", "ukai", "heiti", "stheiti")


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
        if _has_glyphs(path):
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    return None


def _warn_missing() -> None:
    global _warned
    if _warned:
        return
    _warned = True
    warnings.warn(
        "No font with Chinese glyphs is installed for matplotlib: Chinese names in charts would "
        "show as empty boxes. Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; "
        "Windows and macOS have Microsoft YaHei / PingFang SC), then clear matplotlib's font "
        "cache (rm -rf ~/.cache/matplotlib).",
        OrgnetWarning,
        stacklevel=3,
    )


def apply_cjk_font(fig) -> str | None:
    """Give every text of ``fig`` (and ticks drawn later) a CJK-capable font family.

    The CJK font comes first, with DejaVu Sans (bundled with matplotlib) as
    the per-glyph fallback. Returns the font's name; when none is installed,
    warns once (:class:`~orgnet.OrgnetWarning`) and returns None.
    """
    from matplotlib.text import Text

    name = cjk_font()
    if name is None:
        _warn_missing()
        return None
    family = [name, "DejaVu Sans"]  # DejaVu (bundled with matplotlib) for Latin glyphs CJK fonts lack
    for t in fig.findobj(Text):
        t.set_fontfamily(family)
    for ax in fig.get_axes():
        try:
            ax.tick_params(labelfontfamily=family)  # matplotlib >= 3.8: ticks made later too
        except (TypeError, ValueError):  # pragma: no cover - older matplotlib
            pass
    return name
