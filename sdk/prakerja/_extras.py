"""Optional parts of the distribution and the message a missing one gives.

``pip install prakerja`` installs the client only (httpx, attrs, cattrs). The rest are extras:

- ``prakerja[contract]``: the contract files as data (:func:`prakerja.contract.load_contract`) and
  ``prakerja-contract check`` (PyYAML, jsonschema, hypothesis, hypothesis-jsonschema);
- ``prakerja[sandbox]``: the local sandbox, ``prakerja-sandbox`` (Flask, gunicorn, PyYAML, jsonschema);
- ``prakerja[testing]``: the pytest plugin's sandbox fixtures and :class:`prakerja.testing.LocalSandbox`
  (the sandbox and the contract checks);
- ``prakerja[cli]``: the ``prakerja`` command (click, PyYAML).
"""

from __future__ import annotations

import importlib.util
from typing import Final, Literal

__all__ = ["EXTRAS", "Extra", "MissingExtraError", "require_extra"]

Extra = Literal["contract", "sandbox", "testing", "cli"]

#: The import names each extra brings (the distribution names differ for PyYAML and jsonschema-rs).
EXTRAS: Final[dict[Extra, tuple[str, ...]]] = {
    "contract": ("yaml", "jsonschema", "hypothesis", "hypothesis_jsonschema"),
    "sandbox": ("yaml", "jsonschema", "jsonschema_rs", "flask", "gunicorn"),
    "testing": ("yaml", "jsonschema", "jsonschema_rs", "flask", "hypothesis", "hypothesis_jsonschema"),
    "cli": ("yaml", "click"),
}


class MissingExtraError(ImportError):
    """A feature needs an optional part of ``prakerja`` that is not installed; the message names the extra."""

    def __init__(self, feature: str, extra: Extra, missing: tuple[str, ...]) -> None:
        self.feature = feature
        self.extra = extra
        self.missing = missing
        super().__init__(
            f"{feature} needs the {extra!r} extra, which is not installed (missing: {', '.join(missing)}). "
            f"Install it with: pip install 'prakerja[{extra}]'",
            name=missing[0],
        )

    def __reduce__(self) -> tuple[type[MissingExtraError], tuple[str, Extra, tuple[str, ...]]]:
        return type(self), (self.feature, self.extra, self.missing)


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require_extra(extra: Extra, feature: str, *, modules: tuple[str, ...] | None = None) -> None:
    """Raise :class:`MissingExtraError` unless every module of ``extra`` (or just ``modules``) is importable."""
    missing = tuple(module for module in (modules or EXTRAS[extra]) if not _installed(module))
    if missing:
        raise MissingExtraError(feature, extra, missing)
