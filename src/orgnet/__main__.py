"""``python -m orgnet``: the same command line as the ``orgnet`` script."""

import sys

from .cli import main

if __name__ == "__main__":  # pragma: no cover - run as a subprocess in tests/test_cli.py
    sys.exit(main())
