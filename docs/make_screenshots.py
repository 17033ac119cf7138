"""Regenerate the screenshots in docs/img/ from the bundled demo data.

Views are written with orgnet.viz.to_html and photographed by headless Chromium
(``--screenshot``); charts are drawn by orgnet.viz.plots and saved by matplotlib.
Every PNG is reduced to a 256-colour palette to stay small.

    python docs/make_screenshots.py            # needs: pip install 'orgnet[viz]'; apt-get install chromium fonts-noto-cjk

Never edit the images by hand: change the code or the data, then run this again.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
VIEWS = ("ties", "hierarchy", "coverage", "vacuum", "sharing")
SIZE = (1000, 700)  # pixels, views and charts
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


def _shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("headless Chromium is needed for the view screenshots: apt-get install chromium")


def views(net, out: Path, work: Path, chromium: str) -> list[Path]:
    from orgnet.viz import interactive, to_html

    made = []
    for view in VIEWS:
        page = to_html(interactive(net, view=view, height=f"{SIZE[1] - 140}px"), work / f"{view}.html")
        png = out / f"view_{view}.png"
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={work / ('profile-' + view)}",
               f"--window-size={SIZE[0]},{SIZE[1]}", "--virtual-time-budget=15000",
               f"--screenshot={png}", page.resolve().as_uri()]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        _shrink(png)
        made.append(png)
    return made


def charts(net, out: Path) -> list[Path]:
    from matplotlib.figure import Figure

    import orgnet
    from orgnet.viz import plots

    dpi = 100
    size = (SIZE[0] / dpi, SIZE[1] / dpi)
    rates = orgnet.coverage.coverage_rates(net, by="community")
    realised = orgnet.sharing.realised(net, level="community")
    drawings = {
        "coverage_bars": lambda ax: plots.coverage_bars(rates, ax=ax),
        "rate_heatmap": lambda ax: plots.rate_heatmap(net, by="community", ax=ax),
        "area_map": lambda ax: plots.area_map(net, rates["org_coverage_rate"], ax=ax, annotate=True,
                                              label="组织覆盖率 organisational coverage"),
        "vacuum_reasons": lambda ax: plots.vacuum_reasons(net, by="community", ax=ax),
        "tie_strength": lambda ax: plots.tie_strength_hist(net, ax=ax),
        "lorenz": lambda ax: plots.lorenz(realised["value"], ax=ax, label="project value by community"),
    }
    made = []
    for name, draw in drawings.items():
        fig = Figure(figsize=size, dpi=dpi, layout="constrained")
        draw(fig.add_subplot())
        png = out / f"chart_{name}.png"
        fig.savefig(png, dpi=dpi)
        _shrink(png)
        made.append(png)
    return made


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=HERE / "img", help="folder for the PNGs (default docs/img)")
    p.add_argument("--no-views", action="store_true", help="charts only (no Chromium needed)")
    args = p.parse_args(argv)

    import orgnet

    net = orgnet.datasets.load("demo")
    args.out.mkdir(parents=True, exist_ok=True)
    made = charts(net, args.out)
    if not args.no_views:
        with tempfile.TemporaryDirectory() as tmp:
            made += views(net, args.out, Path(tmp), _chromium())
    for path in made:
        print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path} "
              f"({path.stat().st_size / 1000:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
