"""Names a partner can read: ``Status`` and ``State`` name enumerations only, a model is named for the record it
is, and the models renamed under that rule keep their old names for a while as deprecated aliases."""

from __future__ import annotations

import enum
import importlib
import textwrap
import warnings
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from mypy import api as mypy_api

import prakerja
from prakerja import models
from prakerja._operations import OPERATIONS
from prakerja._renamed import REMOVED_IN, RENAMED

from .conftest import BASE, make_client
from .operations import response_example

MODULES = ["prakerja", "prakerja.models"]
OLD_NAMES = [(module, old, new) for module in MODULES for old, new in RENAMED.items()]
OLD_IDS = [f"{module}.{old}" for module, old, _ in OLD_NAMES]


def _public(module: str) -> list[tuple[str, object]]:
    loaded = importlib.import_module(module)
    return [(name, getattr(loaded, name)) for name in loaded.__all__]


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:3])


@pytest.mark.parametrize("module", MODULES)
def test_only_enumerations_end_in_status_or_state(module: str) -> None:
    named_for_state = [(name, value) for name, value in _public(module) if name.endswith(("Status", "State"))]

    assert named_for_state  # the rule is about names that exist: PaymentStatus, RedeemCodeState, ...
    assert [name for name, value in named_for_state if not isinstance(value, enum.EnumType)] == []


def test_no_model_ends_in_status_or_state() -> None:
    model_names = [
        name for name, value in _public("prakerja.models") if isinstance(value, type) and attrs.has(value)
    ]

    assert "RedeemCodeRecord" in model_names
    assert [name for name in model_names if name.endswith(("Status", "State"))] == []


@pytest.mark.parametrize(("module", "old", "new"), OLD_NAMES, ids=OLD_IDS)
def test_an_old_name_is_the_new_class_and_warns_with_the_new_name_and_the_release(
    module: str, old: str, new: str
) -> None:
    loaded = importlib.import_module(module)

    with pytest.warns(DeprecationWarning, match="is deprecated") as caught:
        value = getattr(loaded, old)

    assert value is getattr(models, new)
    [warning] = caught
    text = str(warning.message)
    assert f"{module}.{old} is deprecated" in text
    assert f"use {module}.{new}" in text
    assert f"removed in prakerja {REMOVED_IN}" in text
    assert warning.filename == __file__  # it points at the line that used the old name


@pytest.mark.parametrize(("module", "old", "new"), OLD_NAMES, ids=OLD_IDS)
def test_an_old_name_imported_with_from_warns_at_the_import(module: str, old: str, new: str) -> None:
    namespace: dict[str, object] = {}

    with pytest.warns(DeprecationWarning, match=f"use {module}.{new}"):
        exec(f"from {module} import {old}", namespace)

    assert namespace[old] is getattr(models, new)


def test_old_code_checking_answers_against_the_old_names_still_runs(respx_mock: Any) -> None:
    for operation_id in ("attendance.status", "tpm.submission_status"):
        spec = OPERATIONS[operation_id]
        answer = response_example(operation_id)
        respx_mock.route(method=spec.method, host=httpx.URL(BASE).host, path=spec.path).respond(
            200, json=answer
        )
    client = make_client("sync")
    assert isinstance(client, prakerja.PrakerjaClient)

    with client:
        record = client.attendance.status("PRAT-TC1001", sequence=1)
        submissions = client.tpm.submission_status("PRAT-TC1001", scope="tpm", sequence=1)

    with pytest.warns(DeprecationWarning, match="is deprecated") as caught:
        fits = [
            isinstance(record, prakerja.RedeemCodeStatus),
            isinstance(submissions, prakerja.models.TpmSubmissionStatus),
            isinstance(submissions.feedback, prakerja.SubmissionState),
        ]

    assert fits == [True, True, True]
    assert len(caught) == 3


@pytest.mark.parametrize(("module", "old", "new"), OLD_NAMES, ids=OLD_IDS)
def test_each_use_of_an_old_name_warns_again(module: str, old: str, new: str) -> None:
    loaded = importlib.import_module(module)

    with pytest.warns(DeprecationWarning, match="is deprecated") as caught:
        values = [getattr(loaded, old) for _ in range(2)]

    assert len(caught) == 2
    assert values[0] is values[1]
    assert old not in vars(loaded)  # never cached in the module, so it never turns current


@pytest.mark.parametrize("module", MODULES)
def test_current_names_do_not_warn(module: str) -> None:
    loaded = importlib.import_module(module)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in loaded.__all__:
            getattr(loaded, name)


@pytest.mark.parametrize("module", MODULES)
def test_old_names_are_not_current_names(module: str) -> None:
    loaded = importlib.import_module(module)

    assert not set(RENAMED) & set(loaded.__all__)
    assert not set(RENAMED) & set(dir(loaded))
    assert set(RENAMED.values()) <= set(loaded.__all__)


@pytest.mark.parametrize("module", MODULES)
def test_a_name_never_defined_is_still_an_attribute_error(module: str) -> None:
    loaded = importlib.import_module(module)

    with pytest.raises(AttributeError, match=f"module '{module}' has no attribute 'RedeemCodeStatuses'"):
        _ = loaded.RedeemCodeStatuses


def test_the_old_names_are_removed_by_the_release_the_warning_names() -> None:
    # Fails once the version reaches that release: then the aliases go (prakerja/_renamed.py, the
    # TYPE_CHECKING block of prakerja/models.py and prakerja/__init__.py, the Renamed table of docs/sdk.md).
    major, minor, _ = _release(prakerja.__version__)

    assert _release(REMOVED_IN) == (major, minor + 1, 0)  # the next minor release, which the warning promises


def test_the_docs_table_lists_every_rename() -> None:
    sdk_md = (Path(__file__).resolve().parents[2] / "docs" / "sdk.md").read_text(encoding="utf-8")

    for old, new in RENAMED.items():
        assert f"| `{old}` (model) | `{new}` | {REMOVED_IN} |" in sdk_md


def test_old_code_with_the_old_names_in_annotations_still_type_checks(tmp_path: Path) -> None:
    old_names = ", ".join(RENAMED)
    program = tmp_path / "old_code.py"
    program.write_text(
        textwrap.dedent(
            f"""
            import prakerja
            import prakerja.models
            from prakerja import {old_names}

            def redeem(client: prakerja.PrakerjaClient) -> RedeemCodeStatus:
                record: RedeemCodeStatus = client.attendance.status("PRAT-TC1001")
                assert isinstance(record, prakerja.models.RedeemCodeStatus)
                return record

            def tpm(client: prakerja.PrakerjaClient) -> tuple[TpmSubmissionStatus, SubmissionState]:
                submissions = client.tpm.submission_status("PRAT-TC1001", scope="tpm", sequence=1)
                return submissions, submissions.assignment

            reveal_type(RedeemCodeStatus)
            """
        ),
        encoding="utf-8",
    )

    stdout, _, _ = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(program)]
    )

    assert stdout.rstrip().endswith("Success: no issues found in 1 source file"), stdout
    assert "-> prakerja.models.RedeemCodeRecord" in stdout  # the alias is the new class
