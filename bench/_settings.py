"""How long and how hard one suite run measures."""

from __future__ import annotations

from pathlib import Path

import attrs

__all__ = ["Settings"]


@attrs.frozen(kw_only=True)
class Settings:
    """One suite run: ``quick`` shrinks every benchmark so CI can check that they all run.

    ``workdir`` holds the databases, scripts and server logs of the run.
    """

    workdir: Path
    quick: bool = False

    def pick(self, full: int, quick: int) -> int:
        """``full`` normally, ``quick`` in a quick run."""
        return quick if self.quick else full
