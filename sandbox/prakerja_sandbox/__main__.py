"""``python -m prakerja_sandbox``: the same as the ``prakerja-sandbox`` command."""

from __future__ import annotations

from prakerja_sandbox.cli import main

raise SystemExit(main())
