"""``observed`` is a provenance of the catalogue and the register; anything else is refused on load."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from prakerja.contract import PROVENANCES, load_contract


def _edited(tmp_path: Path, name: str, edit: Callable[[dict[str, Any]], None]) -> Path:
    contracts = tmp_path / "contracts"
    shutil.copytree(load_contract().root, contracts)
    data = yaml.safe_load((contracts / name).read_text(encoding="utf-8"))
    edit(data)
    (contracts / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return contracts


def _first_error(provenance: str, observed: str | None) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["errors"][0].update(provenance=provenance, observed=observed)

    return edit


def _first_reading(provenance: str, observed: str | None) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["ambiguities"][0]["readings"][0].update(provenance=provenance, observed=observed)

    return edit


def test_the_provenances_are_documented_inferred_and_observed() -> None:
    assert PROVENANCES == ("documented", "inferred", "observed")


def test_the_shipped_contract_uses_only_known_provenances() -> None:
    contract = load_contract()

    assert {entry.provenance for entry in contract.errors.values()} <= set(PROVENANCES)
    assert {r.provenance for a in contract.ambiguities.values() for r in a.readings} <= set(PROVENANCES)


def test_an_observed_catalogue_entry_loads_with_where_it_was_seen(tmp_path: Path) -> None:
    contracts = _edited(
        tmp_path, "errors.yaml", _first_error("observed", "payments.quota, first seen 2026-12-06")
    )

    entry = next(iter(load_contract(contracts).errors.values()))

    assert (entry.provenance, entry.observed) == ("observed", "payments.quota, first seen 2026-12-06")


def test_an_observed_reading_loads_with_where_it_was_seen(tmp_path: Path) -> None:
    contracts = _edited(tmp_path, "ambiguities.yaml", _first_reading("observed", "api-ssn, 2026-12-06"))

    reading = next(iter(load_contract(contracts).ambiguities.values())).readings[0]

    assert (reading.provenance, reading.observed) == ("observed", "api-ssn, 2026-12-06")


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        (
            "errors.yaml",
            _first_error("guessed", None),
            "provenance 'guessed'; expected one of documented, inferred, observed",
        ),
        ("errors.yaml", _first_error("observed", None), "is observed; say where and when in `observed`"),
        ("ambiguities.yaml", _first_reading("seen", None), "provenance 'seen'; expected one of documented"),
        (
            "ambiguities.yaml",
            _first_reading("observed", None),
            "is observed; say where and when in `observed`",
        ),
    ],
)
def test_an_unknown_provenance_or_an_observation_without_its_source_is_refused(
    tmp_path: Path, name: str, edit: Callable[[dict[str, Any]], None], message: str
) -> None:
    contracts = _edited(tmp_path, name, edit)

    with pytest.raises(ValueError, match=re.escape(message)):
        load_contract(contracts)


def _provenance_nodes(node: Any, where: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if "x-provenance" in node:
            found.append((where, node))
        for key, value in node.items():
            found += _provenance_nodes(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _provenance_nodes(value, f"{where}/{index}")
    return found


def test_every_x_provenance_of_openapi_is_known_and_an_observed_one_says_where_and_when() -> None:
    nodes = _provenance_nodes(dict(load_contract().openapi))

    assert nodes
    assert {node["x-provenance"] for _, node in nodes} <= set(PROVENANCES)
    assert [
        where for where, node in nodes if node["x-provenance"] == "observed" and not node.get("x-observed")
    ] == []
