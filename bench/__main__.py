"""``python -m bench``: the same as ``bench/run``."""

from __future__ import annotations

from bench.suite import main

raise SystemExit(main())
