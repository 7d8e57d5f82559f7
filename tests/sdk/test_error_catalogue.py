"""The exception tree is generated from the error catalogue and stays in step with it."""

from __future__ import annotations

import inspect

import httpx
import pytest

import prakerja
from prakerja import _errorgen, errors
from prakerja._generated_errors import ERROR_CLASSES
from prakerja.contract import ErrorEntry, load_contract

CATALOGUE = load_contract().errors
FAMILIES = {
    "request": errors.RequestValidationError,
    "auth": errors.AuthenticationError,
    "permission": errors.PermissionDeniedError,
    "routing": errors.RoutingError,
    "payment": errors.PaymentError,
    "void": errors.VoidError,
    "attendance": errors.AttendanceError,
    "tpm": errors.TpmError,
    "sso": errors.SsoError,
    "server": errors.ServerError,
}


def test_the_committed_module_is_what_the_generator_writes_from_the_catalogue() -> None:
    entries = _errorgen._read_catalogue(load_contract().root / "errors.yaml")

    assert _errorgen.target_path().read_text(encoding="utf-8") == _errorgen.render(entries)


def test_the_generator_check_mode_agrees() -> None:
    assert _errorgen.main(["--check"]) == 0


def test_every_catalogue_code_has_exactly_one_class() -> None:
    assert set(ERROR_CLASSES) == set(CATALOGUE)
    assert len(set(ERROR_CLASSES.values())) == len(ERROR_CLASSES)


@pytest.mark.parametrize("entry", CATALOGUE.values(), ids=list(CATALOGUE))
def test_a_code_class_carries_its_catalogue_entry(entry: ErrorEntry) -> None:
    cls = ERROR_CLASSES[entry.code]

    assert cls.__name__ == _errorgen.class_name(entry.title)
    assert (cls.catalogue_code, cls.title, cls.http_status) == (entry.code, entry.title, entry.http_status)
    assert (cls.transient, cls.message_en, cls.action) == (entry.retryable, entry.message_en, entry.action)
    assert cls.provenance == entry.provenance
    assert cls.retryable is entry.retryable  # on the class, the former attribute still reads the catalogue
    assert entry.code in (cls.__doc__ or "")
    assert entry.provenance in (cls.__doc__ or "")


@pytest.mark.parametrize("entry", CATALOGUE.values(), ids=list(CATALOGUE))
def test_a_code_class_sits_under_its_family(entry: ErrorEntry) -> None:
    cls = ERROR_CLASSES[entry.code]
    family = errors.RateLimitError if entry.http_status == 429 else FAMILIES[entry.family]

    assert issubclass(cls, family)
    assert issubclass(cls, prakerja.PrakerjaAPIError)


def test_every_code_class_is_importable_by_name_from_prakerja_errors() -> None:
    for cls in ERROR_CLASSES.values():
        assert getattr(errors, cls.__name__) is cls
        assert cls.__name__ in errors.__all__


def test_class_names_come_from_titles() -> None:
    assert errors.QuotaExhaustedError.catalogue_code == "ERRPLT40013"
    assert errors.InvoiceNotFoundError.catalogue_code == "ERRPLT40032"
    assert _errorgen.class_name("ErrOauthScopeInvalid") == "OauthScopeInvalidError"
    assert _errorgen.class_name("InternalError") == "InternalError"


def test_the_generator_refuses_titles_that_clash() -> None:
    entry = {**_errorgen._read_catalogue(load_contract().root / "errors.yaml")[0]}

    with pytest.raises(ValueError, match="clashing class names"):
        _errorgen.render([entry, {**entry, "code": "ERRPLT40099"}])


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("ERRVOD40099", 400, errors.VoidError),
        ("ERRRDM40099", 400, errors.AttendanceError),
        ("ERRTPM40099", 400, errors.TpmError),
        ("ERROAUTH4099", 400, errors.SsoError),
        ("ERRPLT40199", 401, errors.AuthenticationError),
        ("ERRPLT40399", 403, errors.PermissionDeniedError),
        ("ERRPLT40499", 404, errors.RoutingError),
        ("ERRPLT42999", 429, errors.RateLimitError),
        ("ERRPLT50999", 509, errors.ServerError),
        ("ERRPLT40099", 400, errors.PrakerjaAPIError),
    ],
)
def test_an_unknown_code_raises_its_family_by_prefix_or_status(
    code: str, status: int, expected: type[errors.PrakerjaAPIError]
) -> None:
    assert errors.error_class(code, status) is expected


def test_an_unknown_server_code_is_transient_and_an_unknown_client_code_is_not() -> None:
    assert errors.error_class("ERRPLT50999", 509).transient
    assert not errors.error_class("ERRPLT40099", 400).transient


def test_api_errors_take_keyword_arguments_only() -> None:
    with pytest.raises(TypeError):
        errors.QuotaExhaustedError("ERRPLT40013", 400, "Kuota habis.")  # type: ignore[call-arg]
    signature = inspect.signature(errors.PrakerjaAPIError.__init__)
    assert all(
        p.kind is inspect.Parameter.KEYWORD_ONLY for name, p in signature.parameters.items() if name != "self"
    )


def test_an_api_error_says_code_title_status_message_and_the_english_meaning() -> None:
    request = httpx.Request("POST", "https://api.prakerja.go.id/api/v1/integration/payment/send-otp")
    error = errors.api_error(
        code="ERRPLT40013",
        status_code=400,
        message="Kuota pelatihan sudah habis.",
        request=request,
        debug={"hint": "schedule prakerjaoauth is full"},
    )

    assert isinstance(error, errors.QuotaExhaustedError)
    assert (error.code, error.status_code, error.request) == ("ERRPLT40013", 400, request)
    assert str(error).startswith("ERRPLT40013 QuotaExhausted (HTTP 400): Kuota pelatihan sudah habis.")
    assert CATALOGUE["ERRPLT40013"].message_en in str(error)
    assert str(error).endswith("Hint: schedule prakerjaoauth is full")


def test_local_input_errors_are_value_errors_and_prakerja_errors() -> None:
    assert issubclass(errors.InvalidInputError, ValueError)
    assert issubclass(errors.InvalidInputError, prakerja.PrakerjaError)
    assert issubclass(errors.ConfigurationError, ValueError)


def test_transport_errors_are_a_branch_of_their_own() -> None:
    assert issubclass(errors.PrakerjaTimeoutError, errors.PrakerjaTransportError)
    assert issubclass(errors.PrakerjaConnectionError, errors.PrakerjaTransportError)
    assert not issubclass(errors.PrakerjaTransportError, errors.PrakerjaAPIError)
    assert not issubclass(errors.UnexpectedResponseError, errors.PrakerjaAPIError)


def test_the_generated_resource_classes_are_current() -> None:
    from prakerja import _resourcegen

    assert _resourcegen.target_path().read_text(encoding="utf-8") == _resourcegen.render(), (
        "run: python -m prakerja._resourcegen"
    )


def test_each_method_lists_the_codes_of_its_operation_in_raises() -> None:
    import inspect

    from prakerja.contract import load_contract
    from prakerja.errors import ERROR_CLASSES
    from prakerja.resources import AsyncPayments, Attendance, Sso, Tpm

    contract = load_contract()
    for cls, method, operation in [
        (AsyncPayments, "send_otp", "payments.send_otp"),
        (Attendance, "status", "attendance.status"),
        (Tpm, "submission_status", "tpm.submission_status"),
        (Sso, "create_token", "sso.create_token"),
    ]:
        doc = inspect.getdoc(getattr(cls, method)) or ""
        raises = doc.split("Raises:", 1)[1]
        for code, entry in contract.errors.items():
            listed = f"{ERROR_CLASSES[code].__name__}: {code}," in raises
            assert listed == (operation in entry.operations or "*" in entry.operations), (method, code)
