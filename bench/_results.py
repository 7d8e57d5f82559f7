"""Benchmark results and the one table every run prints."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "CALIBRATION_FACTOR",
    "Result",
    "calibration_row",
    "markdown_table",
    "percentile",
    "text_table",
    "verdict",
]

#: How much faster than the best server measured a load generator must drive the calibration server.
CALIBRATION_FACTOR = 2.0
_HEADER = ("Benchmark", "Metric", "Measured", "Target", "Result")


@attrs.frozen(kw_only=True)
class Result:
    """One row of the table: a measured value (usually a ratio against a baseline) and its target.

    ``met`` is ``None`` when the value could not be measured on this machine (``measured`` then says why).
    """

    benchmark: str
    metric: str
    measured: str
    target: str
    met: bool | None
    note: str = ""


def verdict(met: bool | None) -> str:
    """The table's word for a target: met, MISSED, or n/a (no target, or not measurable here)."""
    if met is None:
        return "n/a"
    return "met" if met else "MISSED"


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile (0..1) of ``values``, nearest rank."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = min(max(math.ceil(fraction * len(ordered)) - 1, 0), len(ordered) - 1)
    return float(ordered[rank])


def _cells(result: Result) -> tuple[str, ...]:
    return (result.benchmark, result.metric, result.measured, result.target, verdict(result.met))


def text_table(results: Iterable[Result]) -> str:
    """An aligned plain-text table with the notes listed under it."""
    rows = [_HEADER, *(_cells(result) for result in results)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(_HEADER))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|")


def markdown_table(results: Iterable[Result]) -> str:
    """The same table in Markdown, with each row's note in a last column."""
    header = (*_HEADER, "Note")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for result in results:
        cells = (*_cells(result), result.note)
        lines.append("| " + " | ".join(_escape(cell) for cell in cells) + " |")
    return "\n".join(lines)


def calibration_row(
    benchmark: str, generator: str, calibration: float, best: tuple[str, float], unit: str
) -> Result:
    """The row saying whether the load generator outran the best server measured by ``CALIBRATION_FACTOR``."""
    name, rate = best
    factor = calibration / rate if rate else float("inf")
    met = factor >= CALIBRATION_FACTOR
    note = (
        f"{generator} against the calibration server (granian, constant answer); best server measured: {name}"
    )
    if not met:
        note += (
            "; the generator saturated: rates near its own limit are understated, so ratios between the "
            "fastest servers are not trustworthy in this run"
        )
    return Result(
        benchmark=benchmark,
        metric="load generator calibration",
        measured=f"{calibration:,.0f} {unit} = {factor:.1f}x the best server ({rate:,.0f} {unit})",
        target=f">= {CALIBRATION_FACTOR:.0f}x",
        met=met,
        note=note,
    )
