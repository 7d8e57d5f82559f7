"""The public surface is deliberate: explicit ``__all__`` lists, frozen models, and types a checker can use."""

from __future__ import annotations

import enum
import importlib
import textwrap
from pathlib import Path

import attrs
import pytest
from attrs import AttrsInstance
from mypy import api as mypy_api

import prakerja
from prakerja import errors, models

PUBLIC = {
    "clients": {"PrakerjaClient", "AsyncPrakerjaClient", "PrakerjaAuth"},
    "configuration": {
        "Environment",
        "PRODUCTION",
        "SANDBOX",
        "LOCAL",
        "RetryPolicy",
        "NO_RETRY",
        "DEFAULT_RETRY",
        "DEFAULT_TIMEOUT",
        "NOT_GIVEN",
        "NotGiven",
        "SandboxCredentialsWarning",
    },
    "errors": {
        "PrakerjaError",
        "PrakerjaAPIError",
        "PrakerjaTransportError",
        "PrakerjaConnectionError",
        "PrakerjaTimeoutError",
        "UnexpectedResponseError",
        "OutcomeUnknownError",
        "InvalidInputError",
        "ConfigurationError",
    },
    "signing and contract": {"sign", "verify", "raw_string", "compact_json", "Contract", "load_contract"},
    "models": set(models.__all__),
    "version": {"__version__"},
    "modules": {"errors", "models"},
    "sso": {"ALL_SCOPES"},
    "raw responses": {"RawResponse"},
}


def test_the_package_exports_exactly_what_is_listed() -> None:
    expected = set().union(*PUBLIC.values())

    assert set(prakerja.__all__) == expected
    assert len(prakerja.__all__) == len(expected)


@pytest.mark.parametrize(
    "module", ["prakerja", "prakerja.errors", "prakerja.models", "prakerja.environments"]
)
def test_every_exported_name_exists_and_star_import_gives_exactly_all(module: str) -> None:
    loaded = importlib.import_module(module)
    namespace: dict[str, object] = {}

    exec(f"from {module} import *", namespace)

    assert set(namespace) - {"__builtins__"} == set(loaded.__all__)
    assert not [name for name in loaded.__all__ if name.startswith("_") and name != "__version__"]


def test_the_error_module_exports_the_whole_tree() -> None:
    exported = [getattr(errors, name) for name in errors.__all__]
    api_errors = {
        cls for cls in exported if isinstance(cls, type) and issubclass(cls, errors.PrakerjaAPIError)
    }

    # the codes, their 11 families, the base, and the server error whose outcome is unknown
    assert len(api_errors) == len(errors.ERROR_CLASSES) + 13


MODEL_CLASSES = [getattr(models, name) for name in models.__all__ if attrs.has(getattr(models, name))]


def test_the_models_module_holds_only_attrs_classes_enums_and_uk_sequence() -> None:
    enums = [name for name in models.__all__ if isinstance(getattr(models, name), enum.EnumType)]
    # OpenEnum is the mix-in of the answers' enumerations.
    expected = {cls.__name__ for cls in MODEL_CLASSES} | set(enums) | {"UK_SEQUENCE", "OpenEnum"}

    assert set(models.__all__) == expected


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=[cls.__name__ for cls in MODEL_CLASSES])
def test_models_are_frozen_with_keyword_only_fields(cls: type[AttrsInstance]) -> None:
    assert all(field.kw_only for field in attrs.fields(cls))
    instance = object.__new__(cls)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(instance, attrs.fields(cls)[0].name, None)


def test_the_package_is_typed() -> None:
    assert (Path(prakerja.__file__).parent / "py.typed").is_file()


def test_a_type_checker_sees_the_results_of_sync_and_async_calls(tmp_path: Path) -> None:
    program = tmp_path / "usage.py"
    program.write_text(
        textwrap.dedent(
            """
            import prakerja

            def sync(client: prakerja.PrakerjaClient) -> None:
                reveal_type(client.attendance.status("PRAT-TC1001", sequence=1))
                reveal_type(client.payments.void(invoice_code="I", transaction_code="T"))
                client.attendance.status(1001)

            async def run_async(client: prakerja.AsyncPrakerjaClient) -> None:
                reveal_type(await client.payments.send_otp(
                    user_platform_id="u", prakerja_id="4180123456789012", course_code="C", schedule_code="S",
                    amount=20000,
                ))
                reveal_type(prakerja.errors.QuotaExhaustedError.catalogue_code)
            """
        ),
        encoding="utf-8",
    )

    stdout, _, _ = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(program)]
    )

    assert 'Revealed type is "prakerja.models.RedeemCodeRecord"' in stdout
    assert 'Revealed type is "prakerja.models.PaymentVoided"' in stdout
    assert 'Revealed type is "prakerja.models.OtpSent"' in stdout
    assert 'Revealed type is "str"' in stdout
    assert 'Argument 1 to "status" of "Attendance" has incompatible type "int"; expected "str"' in stdout
    assert stdout.count("error:") == 1
