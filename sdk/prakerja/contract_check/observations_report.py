"""``prakerja-contract observations FILE``: what the recorded exchanges say about the contract.

Each distinct finding is listed once per operation with how often and when it was first seen, followed by the
change to ``contracts/`` it suggests: a widened type, a new enum value, a new catalogue entry with
``provenance: observed``, a reading of the ambiguity register marked observed. A proposal is a suggestion for
a person to review, never applied by the tool: one server's answer is evidence, not yet the rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from prakerja.contract import Contract, load_contract
from prakerja.contract_check.observations import Observation
from prakerja.contract_check.proxy_schema import Finding

__all__ = ["FindingTally", "ObservationSummary", "propose", "summarise"]

_NO_CHANGE = {"server-error", "no-response", "const", "not-json"}


@attrs.define
class FindingTally:
    """One distinct finding on one operation: how often and when it was seen."""

    operation: str | None
    finding: Finding
    count: int
    first_seen: str
    statuses: Counter[int] = attrs.field(factory=Counter)


@attrs.define
class ObservationSummary:
    """The findings of an observations file, grouped by operation."""

    exchanges: int
    first: str | None
    last: str | None
    operations: dict[str, Counter[int]]
    tallies: list[FindingTally]
    register: Mapping[str, Mapping[str, str]]
    contract: Contract = attrs.field(repr=False)
    #: exchanges recorded with the upstream's TLS certificate not verified (``--insecure``)
    unverified: int = 0

    def by_operation(self) -> dict[str, list[FindingTally]]:
        """The tallies per operation (``(no operation)`` for paths outside the contract), in file order."""
        grouped: dict[str, list[FindingTally]] = {}
        for tally in self.tallies:
            grouped.setdefault(tally.operation or "(no operation)", []).append(tally)
        return grouped

    def readings(self) -> list[tuple[str, str, int, str]]:
        """Which reading of each ambiguity the server took: (ambiguity, reading, count, first seen)."""
        taken: dict[tuple[str, str], tuple[int, str]] = {}
        for tally in self.tallies:
            f = tally.finding
            if f.kind == "reading" and f.ambiguity and f.reading:
                count, first = taken.get((f.ambiguity, f.reading), (0, tally.first_seen))
                taken[(f.ambiguity, f.reading)] = (count + tally.count, min(first, tally.first_seen))
        return [(a, r, count, first) for (a, r), (count, first) in sorted(taken.items())]

    def headline(self) -> str:
        found = len(self.tallies)
        span = f" from {self.first} to {self.last}" if self.first else ""
        return (
            f"{self.exchanges} exchange(s){span}; {found} distinct finding(s) on "
            f"{len(self.by_operation())} operation(s)"
        )

    def warning(self) -> str | None:
        """Why some of the evidence is weaker, or ``None``."""
        if not self.unverified:
            return None
        return (
            f"WARNING: {self.unverified} of {self.exchanges} exchange(s) were recorded with TLS verification "
            "off (prakerja-contract proxy --insecure): their answers may not have come from Prakerja"
        )

    def to_text(self) -> str:
        """The report for a terminal."""
        lines = [f"Observations: {self.headline()}"]
        if self.warning():
            lines.append(str(self.warning()))
        for operation, tallies in self.by_operation().items():
            statuses = self.operations.get(operation, Counter())
            lines += ["", f"{operation} ({_statuses(statuses)})"]
            for tally in tallies:
                lines.append(f"  [{tally.finding.kind}] {tally.finding.text}")
                lines.append(f"      seen {tally.count}x, first {tally.first_seen}")
                for proposal_line in propose(tally, self.contract, self.register).splitlines():
                    lines.append(f"      {proposal_line}")
        if self.readings():
            lines += ["", "Readings of contracts/ambiguities.yaml the server took:"]
            lines += [f"  {a}: {r} (seen {count}x, first {first})" for a, r, count, first in self.readings()]
        quiet = sorted(set(self.operations) - set(self.by_operation()))
        if quiet:
            lines += [
                "",
                "No finding on: " + ", ".join(f"{op} ({_statuses(self.operations[op])})" for op in quiet),
            ]
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """The report as Markdown (a CI job summary, an issue to Prakerja, a pull request description)."""
        lines = ["# Contract observations", "", self.headline() + ".", ""]
        if self.warning():
            lines += [f"> **{self.warning()}.**", ""]
        for operation, tallies in self.by_operation().items():
            statuses = self.operations.get(operation, Counter())
            lines += [f"## `{operation}`", "", f"Answers: {_statuses(statuses)}.", ""]
            lines += ["| finding | kind | seen | first seen |", "|---|---|---|---|"]
            lines += [
                f"| {_cell(t.finding.text)} | {t.finding.kind} | {t.count} | {t.first_seen} |"
                for t in tallies
            ]
            lines += ["", "Proposed changes:", ""]
            for tally in tallies:
                proposal = propose(tally, self.contract, self.register)
                head, _, rest = proposal.partition("\n")
                lines.append(f"- **{_cell(tally.finding.text)}**: {head}")
                if rest:
                    lines += ["", "  ```yaml", *(f"  {line}" for line in rest.splitlines()), "  ```"]
            lines.append("")
        if self.readings():
            lines += [
                "## Readings of the ambiguity register",
                "",
                "| ambiguity | reading | seen | first seen |",
            ]
            lines += ["|---|---|---|---|"]
            lines += [f"| `{a}` | `{r}` | {count} | {first} |" for a, r, count, first in self.readings()]
            lines.append("")
        quiet = sorted(set(self.operations) - set(self.by_operation()))
        if quiet:
            lines += [
                "## No finding",
                "",
                *(f"- `{op}`: {_statuses(self.operations[op])}" for op in quiet),
                "",
            ]
        return "\n".join(lines).rstrip() + "\n"


def _statuses(counter: Counter[int]) -> str:
    if not counter:
        return "no answer"
    return ", ".join(
        f"{status}x{count}" for status, count in sorted(counter.items(), key=lambda i: str(i[0]))
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def read_register(contract: Contract) -> dict[str, dict[str, str]]:
    """The ambiguity register's ids: ``{ambiguity id: {reading id: reading text}}``."""
    return {
        ambiguity.id: {reading.id: reading.text for reading in ambiguity.readings}
        for ambiguity in contract.ambiguities.values()
    }


def summarise(observations: Iterable[Observation], contract: Contract | None = None) -> ObservationSummary:
    """Tally the findings of ``observations`` (an observations file read with ``read_observations``)."""
    contract = contract or load_contract()
    tallies: dict[tuple[Any, ...], FindingTally] = {}
    operations: dict[str, Counter[int]] = {}
    count = unverified = 0
    first = last = None
    for observation in observations:
        count += 1
        unverified += observation.tls == "unverified"
        first = first or observation.at
        last = observation.at
        operation = observation.operation or "(no operation)"
        statuses = operations.setdefault(operation, Counter())
        if observation.status is not None:
            statuses[observation.status] += 1
        for finding in observation.findings:
            key = (observation.operation, finding.kind, *attrs.astuple(finding, recurse=False)[2:])
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = FindingTally(observation.operation, finding, 0, observation.at)
            tally.count += 1
            if observation.status is not None:
                tally.statuses[observation.status] += 1
    return ObservationSummary(
        exchanges=count,
        first=first,
        last=last,
        operations=operations,
        tallies=list(tallies.values()),
        register=read_register(contract),
        contract=contract,
        unverified=unverified,
    )


def _family(contract: Contract, operation: str | None) -> str:
    """The catalogue family most codes of ``operation`` belong to, past the general ones."""
    families = Counter(
        entry.family
        for entry in contract.errors.values()
        if operation in entry.operations and entry.family not in {"request", "auth", "server", "signature"}
    )
    return families.most_common(1)[0][0] if families else "request"


def propose(
    tally: FindingTally, contract: Contract, register: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """The change to ``contracts/`` the finding suggests: a first line, then an optional YAML snippet."""
    f, op = tally.finding, tally.operation or "(no operation)"
    seen = f"{op}, first seen {tally.first_seen[:10]}"
    where = f"contracts/openapi.yaml `{f.pointer}`"
    field = f.where.rsplit(".", 1)[-1]
    if f.kind == "type":
        return (
            f"widen the type in {where} to accept {f.observed} too (the SDK already reads both):\n"
            f"type: [{f.expected}, {f.observed}]\nx-provenance: observed\nx-observed: {seen}"
        )
    if f.kind == "null":
        return f"allow null in {where}:\ntype: [{f.expected}, 'null']\nx-provenance: observed\nx-observed: {seen}"
    if f.kind == "enum":
        if f.observed is None:
            return (
                f"a value outside the enum of {where} came; it is not recorded (it did not look like an enum "
                "token): read it in your own logs before adding it"
            )
        return f"add a value to the enum of {where}:\nenum: [{f.expected}, {f.observed}]\nx-enum-provenance:\n  {f.observed}: observed ({seen})"
    if f.kind == "missing":
        return f"make `{field}` optional: remove it from {where} and note `x-observed: absent ({seen})`"
    if f.kind == "unknown-field":
        if field.startswith("<key"):
            return f"a field with a hidden name ({field}) came; look at the raw answer before defining it in {where}"
        return (
            f"define the field in {where}:\n{field}:\n  type: {f.observed}\n  x-provenance: observed\n"
            f"  x-observed: {seen}"
        )
    if f.kind == "format":
        return f"relax the rule ({f.expected}) in {where}, or ask Prakerja which is right; x-observed: {seen}"
    if f.kind in {"status", "content-type"}:
        return (
            f"declare the answer in {where} with `x-provenance: observed` if Prakerja means it "
            f"(HTTP {f.observed}); a 5xx is rather a fault to report"
        )
    if f.kind == "unknown-code":
        code = f.observed or "ERR..."
        return (
            f"add the code to contracts/errors.yaml and to `x-error-codes` of {op} in contracts/openapi.yaml:\n"
            f"- code: {code}\n  http_status: {f.expected}\n  title: TODO name it from Prakerja's message\n"
            f"  family: {_family(contract, tally.operation)}\n"
            "  message_id: TODO the message Prakerja answered (values are not recorded)\n"
            "  message_en: TODO its translation\n"
            f"  operations:\n  - {op}\n  retryable: false\n  provenance: observed\n  observed: {seen}\n"
            "  action: TODO what the partner should do"
        )
    if f.kind == "code-status":
        return (
            f"{f.pointer} came with HTTP {f.observed}, the catalogue says {f.expected}: if Prakerja means it, set "
            f"`http_status: {f.observed}` of {f.pointer} in contracts/errors.yaml and note `observed: {seen}` "
            "(the SDK maps by code whatever the status)"
        )
    if f.kind == "code-operation":
        return f"add `{op}` to `operations` of {f.pointer} in contracts/errors.yaml and to `x-error-codes` of {op}"
    if f.kind == "message":
        return f"compare Prakerja's message for {f.pointer} with the catalogue's `message_id`; if it differs, replace it and mark it observed"
    if f.kind == "unknown-path":
        return "not in the contract: if Prakerja serves it, add the path with `x-provenance: observed`"
    if f.kind == "reading":
        readings = (register or {}).get(f.ambiguity or "")
        if readings is None:
            return f"`{f.ambiguity}` is not in contracts/ambiguities.yaml: add the point with this reading observed"
        text = readings.get(f.reading or "")
        label = f"`{f.reading}`" + (f" ({text})" if text else "")
        return (
            f"in contracts/ambiguities.yaml, entry `{f.ambiguity}`: the server took reading {label}:\n"
            f"readings:\n- id: {f.reading}\n  provenance: observed\n  observed: {seen}"
        )
    if f.kind == "sandbox-warning":
        return (
            f"not a contract change: your client relies on the less documented reading of `{f.ambiguity}`, "
            "which the real API may refuse; change the client (a strict sandbox, `prakerja-sandbox --strict`, "
            "refuses it)"
        )
    if f.kind in _NO_CHANGE:
        return "not a contract change: report it to Prakerja with the time and the X-Request-Id of the answer"
    return "review by hand"
