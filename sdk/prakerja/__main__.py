"""``python -m prakerja``: the ``prakerja`` command."""

from __future__ import annotations

from prakerja.cli import main

if __name__ == "__main__":
    main()
