"""The report as JUnit XML, the format CI systems (GitHub Actions, GitLab CI, Jenkins) display as tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from prakerja.contract_check.report import Report
from prakerja.contract_check.results import CheckResult

__all__ = ["to_junit_xml"]


def _case(parent: ET.Element, result: CheckResult) -> None:
    case = ET.SubElement(
        parent,
        "testcase",
        {
            "classname": f"prakerja.contract.{result.kind}",
            "name": result.check_id,
            "time": f"{result.duration:.3f}",
        },
    )
    if result.outcome == "skipped":
        ET.SubElement(case, "skipped", {"message": result.reason or "skipped"})
    elif result.outcome == "failed" and result.failure is not None:
        failure = result.failure
        lines = [f"{result.title}", *(f"- {p}" for p in failure.problems)]
        if failure.steps:
            lines += ["steps before it:", *(f"  {step.describe()}" for step in failure.steps)]
        if failure.exchange is not None:
            lines += [f"request: {failure.exchange.describe()}", f"reproduce: {failure.exchange.curl()}"]
            if failure.exchange.response is not None:
                lines.append(f"response body: {failure.exchange.response.preview()}")
        element = ET.SubElement(
            case, "failure", {"message": failure.message[:1000], "type": "ContractViolation"}
        )
        element.text = "\n".join(lines)


def to_junit_xml(report: Report) -> str:
    """One ``<testsuite>`` per kind of check (valid, invalid, signature, stateful...), one case per check."""
    by_kind: dict[str, list[CheckResult]] = defaultdict(list)
    for result in report.results:
        by_kind[result.kind].append(result)
    root = ET.Element(
        "testsuites",
        {
            "name": "prakerja-contract",
            "tests": str(len(report.results)),
            "failures": str(len(report.failed)),
            "skipped": str(len(report.skipped)),
            "time": f"{report.info.duration_seconds:.3f}",
        },
    )
    for kind, results in by_kind.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": f"prakerja-contract.{kind}",
                "tests": str(len(results)),
                "failures": str(sum(r.outcome == "failed" for r in results)),
                "skipped": str(sum(r.outcome == "skipped" for r in results)),
                "errors": "0",
                "time": f"{sum(r.duration for r in results):.3f}",
            },
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("base_url", report.info.base_url),
            ("seed", str(report.info.seed)),
            ("max_examples", str(report.info.max_examples)),
        ):
            ET.SubElement(properties, "property", {"name": name, "value": value})
        for result in results:
            _case(suite, result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
