"""Regenerate the template workbooks: ``python -m orgnet.datasets.templates [folder]``."""

import sys

from . import write_templates

if __name__ == "__main__":
    for p in write_templates(sys.argv[1] if len(sys.argv) > 1 else None):
        print(f"wrote {p}")
