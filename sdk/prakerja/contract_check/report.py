"""The outcome of a contract check: every check's result, what was covered, and three ways to print it."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs

from prakerja.contract_check.results import CheckResult

__all__ = ["Report", "RunInfo"]

_STEPS_SHOWN = 20


@attrs.frozen
class RunInfo:
    """How the run was made: the server, options and seed that reproduce it."""

    base_url: str
    client_code: str
    roles: Mapping[str, str]
    control_api: bool
    allow_writes: bool
    max_examples: int
    seed: int
    contract_version: str
    started_at: str
    duration_seconds: float
    in_process: bool = False

    def rerun_command(self) -> str:
        """The ``prakerja-contract`` command line that repeats this run (the key left as a placeholder)."""
        parts = [
            "prakerja-contract check",
            f"--base-url {self.base_url}",
            f"--client-code {self.client_code}",
            "--sign-key $PRAKERJA_SIGN_KEY",
            f"--max-examples {self.max_examples}",
            f"--seed {self.seed}",
        ]
        if self.allow_writes and not self.control_api:
            parts.append("--allow-writes")
        return " ".join(parts)


@attrs.frozen
class Report:
    """Every check's result plus coverage. ``ok`` is true only when no check failed."""

    info: RunInfo
    results: tuple[CheckResult, ...]
    requests: Mapping[str, int]
    statuses: Mapping[str, Mapping[int, int]]
    codes: Mapping[str, Mapping[str, int]]
    catalogue_codes: tuple[str, ...]
    operations: tuple[str, ...]
    scenarios: Mapping[str, int] = attrs.field(factory=dict)

    @property
    def ok(self) -> bool:
        """True when every check held (skipped checks do not fail a run)."""
        return not self.failed

    @property
    def failed(self) -> tuple[CheckResult, ...]:
        """The checks that failed."""
        return tuple(r for r in self.results if r.outcome == "failed")

    @property
    def skipped(self) -> tuple[CheckResult, ...]:
        """The checks that could not run against this server, each with its reason."""
        return tuple(r for r in self.results if r.outcome == "skipped")

    @property
    def passed(self) -> tuple[CheckResult, ...]:
        """The checks that held."""
        return tuple(r for r in self.results if r.outcome == "passed")

    def codes_seen(self) -> Counter[str]:
        """How often each error code was answered, over all operations."""
        total: Counter[str] = Counter()
        for per_op in self.codes.values():
            total.update(per_op)
        return total

    def codes_not_seen(self) -> tuple[str, ...]:
        """Catalogue codes no response carried."""
        seen = self.codes_seen()
        return tuple(code for code in self.catalogue_codes if code not in seen)

    def total_requests(self) -> int:
        """How many requests the run sent to the server."""
        return sum(self.requests.values())

    def to_dict(self) -> dict[str, Any]:
        """The whole report as JSON-ready data."""
        return {
            "ok": self.ok,
            "run": attrs.asdict(self.info),
            "rerun": self.info.rerun_command(),
            "totals": {
                "checks": len(self.results),
                "passed": len(self.passed),
                "failed": len(self.failed),
                "skipped": len(self.skipped),
                "requests": self.total_requests(),
            },
            "checks": [r.to_dict() for r in self.results],
            "coverage": {
                "operations": {
                    op: {
                        "requests": self.requests.get(op, 0),
                        "statuses": {str(k): v for k, v in sorted(self.statuses.get(op, {}).items())},
                        "codes": dict(sorted(self.codes.get(op, {}).items())),
                    }
                    for op in self.operations
                },
                "codes_seen": dict(sorted(self.codes_seen().items())),
                "codes_not_seen": list(self.codes_not_seen()),
                "scenarios": dict(self.scenarios),
            },
        }

    def to_json(self) -> str:
        """The report as indented JSON."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def summary(self) -> str:
        """A short readable summary: totals, then each failure with its curl line, then skip reasons."""
        lines = [
            f"Contract check of {self.info.base_url} ({'in-process' if self.info.in_process else 'HTTP'}), "
            f"seed {self.info.seed}, {self.info.max_examples} examples per check",
            f"{len(self.results)} checks: {len(self.passed)} passed, {len(self.failed)} failed, "
            f"{len(self.skipped)} skipped; {self.total_requests()} requests in {self.info.duration_seconds:.1f} s",
        ]
        seen = self.codes_seen()
        lines.append(
            f"error codes answered: {len(seen)} of {len(self.catalogue_codes)} in the catalogue; "
            f"scenarios: {', '.join(f'{k} x{v}' for k, v in self.scenarios.items()) or 'none'}"
        )
        for result in self.failed:
            lines += ["", f"FAILED {result.check_id}: {result.title}"]
            failure = result.failure
            if failure is None:
                continue
            lines += [f"  - {problem}" for problem in failure.problems]
            if failure.note:
                lines.append(f"  note: {failure.note}")
            if failure.steps:
                shown = failure.steps[-_STEPS_SHOWN:]
                hidden = len(failure.steps) - len(shown)
                lines.append(
                    "  steps before it"
                    + (f" (the last {len(shown)} of {len(failure.steps)})" if hidden else "")
                    + ":"
                )
                lines += [f"    {step.describe()}" for step in shown]
            if failure.exchange is not None:
                lines.append(f"  request: {failure.exchange.describe()}")
                lines.append(f"  reproduce: {failure.exchange.curl()}")
        reasons = Counter(r.reason for r in self.skipped if r.reason)
        if reasons:
            lines += ["", "Skipped:"]
            lines += [
                f"  - {reason}" + (f" ({count} checks)" if count > 1 else "")
                for reason, count in reasons.items()
            ]
        lines += [
            "",
            "OK: every check held."
            if self.ok
            else f"FAILED: {len(self.failed)} check(s) broke the contract.",
        ]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """The report as Markdown: totals, failures, the check table, operation and error-code coverage."""
        out = [
            f"# Contract check: {'passed' if self.ok else 'FAILED'}",
            "",
            f"- Server: `{self.info.base_url}`{' (in-process)' if self.info.in_process else ''}; "
            f"control API: {'yes' if self.info.control_api else 'no'}; writes: {'yes' if self.info.allow_writes else 'no'}",
            f"- Contract {self.info.contract_version}; seed {self.info.seed}; {self.info.max_examples} examples per check",
            f"- {len(self.results)} checks: {len(self.passed)} passed, {len(self.failed)} failed, "
            f"{len(self.skipped)} skipped; {self.total_requests()} requests",
            f"- Re-run: `{self.info.rerun_command()}`",
        ]
        if self.failed:
            out += ["", "## Failures"]
            for result in self.failed:
                out += ["", f"### {result.check_id}", "", result.title]
                if result.failure is not None:
                    out += [""] + [f"- {p}" for p in result.failure.problems]
                    if result.failure.exchange is not None:
                        out += ["", "```sh", result.failure.exchange.curl(), "```"]
        out += ["", "## Checks", "", "| check | outcome | examples | note |", "|---|---|---|---|"]
        for r in self.results:
            note = r.reason or (r.failure.message if r.failure else "")
            out.append(f"| `{r.check_id}` | {r.outcome} | {r.examples} | {_cell(note)} |")
        out += [
            "",
            "## Operations",
            "",
            "| operation | requests | statuses | error codes |",
            "|---|---|---|---|",
        ]
        for op in self.operations:
            statuses = ", ".join(f"{k}x{v}" for k, v in sorted(self.statuses.get(op, {}).items()))
            codes = ", ".join(sorted(self.codes.get(op, {})))
            out.append(f"| `{op}` | {self.requests.get(op, 0)} | {statuses} | {codes} |")
        seen = self.codes_seen()
        out += ["", f"## Error codes ({len(seen)} of {len(self.catalogue_codes)} answered)", ""]
        out.append("Answered: " + (", ".join(f"`{c}`" for c in sorted(seen)) or "none"))
        out += ["", "Never answered: " + (", ".join(f"`{c}`" for c in self.codes_not_seen()) or "none")]
        if self.scenarios:
            out += ["", "## Scenarios", "", "| scenario | runs |", "|---|---|"]
            out += [f"| {name} | {count} |" for name, count in self.scenarios.items()]
        return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:200]
