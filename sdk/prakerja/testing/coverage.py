"""Which catalogue codes a partner's tests made the sandbox answer, and which they never exercised."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any, Literal

from prakerja.contract import Contract, ErrorEntry

__all__ = ["ROLE_AREAS", "ErrorCoverage", "Role"]

Role = Literal["dp", "lp"]

#: The operation groups each partner role calls: a DP sells (payments), an LP trains (the rest).
ROLE_AREAS: dict[Role, frozenset[str]] = {
    "dp": frozenset({"payments"}),
    "lp": frozenset({"attendance", "tpm", "sso"}),
}


class ErrorCoverage:
    """Counts of error codes the sandbox answered across a test run, and the tests that met each.

    With a ``role`` (``"dp"`` or ``"lp"``) the report keeps only the codes of that role's operations and
    the codes every call can meet. The gate (:meth:`gate`) measures the codes a partner of the role must
    handle: a DP's ``dp_must_handle`` codes (also without a role), an LP's codes of its own operations.
    """

    def __init__(self, role: Role | None = None) -> None:
        if role is not None and role not in ROLE_AREAS:
            raise ValueError(f"role must be 'dp' or 'lp', got {role!r}")
        self.role = role
        self.counts: Counter[str] = Counter()
        self.tests: dict[str, list[str]] = {}
        self.sandboxes = 0

    def relevant(self, entry: ErrorEntry) -> bool:
        """Whether a partner of this coverage's role can meet ``entry`` (every code without a role)."""
        if self.role is None:
            return True
        areas = {operation.partition(".")[0] for operation in entry.operations}
        return "*" in areas or bool(areas & ROLE_AREAS[self.role])

    def gate_codes(self, contract: Contract) -> list[str]:
        """The codes :meth:`gate` counts: what a partner of the role must handle."""
        if self.role == "lp":
            return [code for code, entry in contract.errors.items() if self.relevant(entry)]
        return [code for code, entry in contract.errors.items() if entry.dp_must_handle]

    def gate(self, contract: Contract) -> tuple[float, list[str]]:
        """The percentage of :meth:`gate_codes` exercised, and the codes never exercised."""
        codes = self.gate_codes(contract)
        missing = [code for code in codes if not self.counts.get(code)]
        share = 100.0 if not codes else 100.0 * (len(codes) - len(missing)) / len(codes)
        return share, missing

    @property
    def used(self) -> bool:
        """Whether any test used a sandbox fixture."""
        return self.sandboxes > 0

    def add(self, coverage: Mapping[str, Any], *, test: str) -> None:
        """Add one sandbox's ``/_sandbox/coverage`` answer, met by ``test``."""
        self.sandboxes += 1
        for row in coverage.get("emitted", ()):
            code = str(row["code"])
            self.counts[code] += int(row.get("count", 1))
            self.tests.setdefault(code, [])
            if test not in self.tests[code]:
                self.tests[code].append(test)

    def rows(self, contract: Contract) -> list[dict[str, Any]]:
        """One row per catalogue code: must-handle codes first, then the codes answered, then the rest."""
        rows = [
            {
                "code": code,
                "title": entry.title,
                "http_status": entry.http_status,
                "dp_must_handle": entry.dp_must_handle,
                "count": self.counts.get(code, 0),
                "tests": self.tests.get(code, [])[:5],
            }
            for code, entry in contract.errors.items()
            if self.relevant(entry)
        ]
        rows.sort(key=lambda row: (not row["dp_must_handle"], row["count"] == 0))
        return rows

    def summary_lines(self, contract: Contract) -> list[str]:
        """The terminal report."""
        rows = self.rows(contract)
        answered = [row for row in rows if row["count"]]
        must = [row for row in rows if row["dp_must_handle"]]
        scope = "" if self.role is None else f" of a {self.role.upper()}'s operations"
        lines = [
            f"{len(answered)} of {len(rows)} catalogue codes{scope} were answered by the sandbox in this run "
            f"({self.sandboxes} sandbox(es))",
            f"Codes a DP must handle (dp_must_handle): {sum(1 for r in must if r['count'])} of {len(must)} exercised",
        ]
        for row in must:
            mark = "x" if row["count"] else " "
            seen = f"{row['count']}x" if row["count"] else "never exercised"
            lines.append(f"  [{mark}] {row['code']:<13} {row['title']:<32} {seen}")
        others = [row for row in answered if not row["dp_must_handle"]]
        if others:
            lines.append("Other codes answered: " + ", ".join(f"{r['code']} ({r['count']}x)" for r in others))
        never = [row["code"] for row in rows if not row["count"] and not row["dp_must_handle"]]
        lines.append(f"Never exercised ({len(never)} other codes): " + ", ".join(never))
        return lines

    def to_markdown(self, contract: Contract) -> str:
        """The report as Markdown."""
        rows = self.rows(contract)
        answered = sum(1 for row in rows if row["count"])
        out = [
            "# Prakerja error coverage",
            "",
            f"{answered} of {len(rows)} catalogue codes"
            + ("" if self.role is None else f" of a {self.role.upper()}'s operations")
            + " were answered by the sandbox during the test run. "
            "Codes a digital platform must handle come first.",
            "",
            "| code | title | HTTP | DP must handle | times | first tests |",
            "|---|---|---|---|---|---|",
        ]
        for row in rows:
            tests = "<br>".join(f"`{t}`" for t in row["tests"][:2])
            out.append(
                f"| `{row['code']}` | {row['title']} | {row['http_status']} | {'yes' if row['dp_must_handle'] else ''} "
                f"| {row['count'] or 'never'} | {tests} |"
            )
        return "\n".join(out) + "\n"

    def to_json(self, contract: Contract) -> str:
        """The report as JSON."""
        rows = self.rows(contract)
        return json.dumps(
            {
                "role": self.role,
                "answered": sum(1 for r in rows if r["count"]),
                "catalogue": len(rows),
                "codes": rows,
            },
            indent=2,
            ensure_ascii=False,
        )
