"""Which catalogue codes a partner's tests made the sandbox answer, and which they never exercised."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from prakerja.contract import Contract

__all__ = ["ErrorCoverage"]


class ErrorCoverage:
    """Counts of error codes the sandbox answered across a test run, and the tests that met each."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.tests: dict[str, list[str]] = {}
        self.sandboxes = 0

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
        ]
        rows.sort(key=lambda row: (not row["dp_must_handle"], row["count"] == 0))
        return rows

    def summary_lines(self, contract: Contract) -> list[str]:
        """The terminal report."""
        rows = self.rows(contract)
        answered = [row for row in rows if row["count"]]
        must = [row for row in rows if row["dp_must_handle"]]
        lines = [
            f"{len(answered)} of {len(rows)} catalogue codes were answered by the sandbox in this run "
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
            f"{answered} of {len(rows)} catalogue codes were answered by the sandbox during the test run. "
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
            {"answered": sum(1 for r in rows if r["count"]), "catalogue": len(rows), "codes": rows},
            indent=2,
            ensure_ascii=False,
        )
