"""Public names the SDK renamed, still importable for a while as deprecated aliases.

The renames follow one rule: the suffixes ``Status`` and ``State`` name enumerations only; a model is named for
the record it is (``RedeemCodeRecord`` holds a ``status: RedeemCodeState``). An old name is served by the module
``__getattr__`` (PEP 562) of :mod:`prakerja` and :mod:`prakerja.models`: it is the same class as the new name,
so old code keeps running, and each use warns. Type checkers see the old names as deprecated through the
``TYPE_CHECKING`` block at the end of :mod:`prakerja.models`. This module is imported only when an old name is
used.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any, Final

#: The release that removes the old names: the minor release after the current one (0.1.x).
REMOVED_IN: Final = "0.2.0"

#: Old name -> new name; every one is a class of :mod:`prakerja.models`.
RENAMED: Final[dict[str, str]] = {
    "RedeemCodeStatus": "RedeemCodeRecord",
    "SubmissionState": "SubmissionRecord",
    "TpmSubmissionStatus": "TpmSubmissions",
}


def message(module: str, old: str) -> str:
    """The deprecation message for ``module.old``."""
    return (
        f"{module}.{old} is deprecated and will be removed in prakerja {REMOVED_IN} (the next minor release): "
        f"use {module}.{RENAMED[old]}, the same class under its new name (the suffixes Status and State now "
        "name enumerations only)"
    )


def resolve(module: str, name: str) -> Any:
    """The class an old ``name`` of ``module`` now goes by, warning the caller; AttributeError otherwise.

    Called from a module ``__getattr__``: the warning points at the line that used the old name.
    """
    if name not in RENAMED:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    warnings.warn(message(module, name), DeprecationWarning, stacklevel=3)
    return getattr(importlib.import_module("prakerja.models"), RENAMED[name])
