"""The ambiguity register (``contracts/ambiguities.yaml``) and the sandbox warning codes, as tables."""

from __future__ import annotations

from prakerja.contract import Contract
from prakerja_docs.markdown import code, error_link, table


def _readings(contract: Contract, ident: str) -> str:
    ambiguity = contract.ambiguities[ident]
    return "<br>".join(
        f"**{reading.id}** ({reading.provenance}): {reading.text} <small>{reading.source}</small>"
        for reading in ambiguity.readings
    )


def ambiguities_table(contract: Contract) -> str:
    """One row per point where the published docs allow two readings."""
    rows = []
    for ambiguity in contract.ambiguities.values():
        rows.append(
            (
                f"{code(ambiguity.id)}<br>{ambiguity.point}",
                _readings(contract, ambiguity.id),
                f"sends: {ambiguity.sdk_sends}<br>accepts: {ambiguity.sdk_accepts}",
                ambiguity.sandbox_default,
                ambiguity.sandbox_strict,
                code(ambiguity.warning) if ambiguity.warning else "",
            )
        )
    headers = ["Point", "Readings (provenance) and sources", "SDK", "Sandbox", "Sandbox --strict", "Warning"]
    return table(headers, rows)


def sandbox_warnings_table(contract: Contract) -> str:
    """The ``Prakerja-Sandbox-Warning`` codes: what each reports and how a strict sandbox refuses it."""
    rows = []
    for warning in contract.sandbox_warnings.values():
        refusal = ", ".join(error_link(value, page="contract.md") for value in warning.strict_codes)
        rows.append(
            (
                f'<span id="{warning.code}"></span>**{warning.code}**<br>{warning.title}',
                code(warning.text),
                f"{refusal}: {warning.hint}",
                code(warning.ambiguity),
            )
        )
    return table(["Code", "Header text", "Refusal under --strict", "Register entry"], rows)
