"""The error catalogue: unique, well-formed codes, each used, each defined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prakerja.contract import CONTROL_API, Contract, load_contract

ROOT = Path(__file__).resolve().parents[2]
CODE_IN_TEXT = re.compile(r"\bERR(?:OAUTH\d{4}|[A-Z]{3}\d{5})\b")
STANDARD_CODE = re.compile(r"^ERR(?P<area>[A-Z]{3})(?P<status>\d{3})(?P<serial>\d{2})$")
OAUTH_CODE = re.compile(r"^ERROAUTH4\d{3}$")
# Tests of how unknown codes are handled use serial 99 (ERRPLT40099, ERROAUTH4099), which is never catalogued.
RESERVED_UNKNOWN_SERIAL = "99"
DOCUMENTED = {
    "ERRPLT40036",
    "ERRPLT40028",
    "ERRVOD40001",
    "ERROAUTH4024",
    "ERROAUTH4029",
    "ERROAUTH4030",
    "ERROAUTH4031",
}


@pytest.fixture(scope="module")
def contract() -> Contract:
    return load_contract()


def test_codes_are_unique_in_the_file(contract: Contract) -> None:
    raw = (contract.root / "errors.yaml").read_text(encoding="utf-8")
    codes = re.findall(r"^- code: (\S+)$", raw, flags=re.MULTILINE)
    assert len(codes) == len(set(codes)) == len(contract.errors)


@pytest.mark.parametrize("code", sorted(load_contract().errors))
def test_code_follows_the_naming_rule(contract: Contract, code: str) -> None:
    entry = contract.error(code)
    if code.startswith("ERROAUTH"):
        assert OAUTH_CODE.match(code)
        return
    match = STANDARD_CODE.match(code)
    assert match, f"{code} is not ERR + area + HTTP status + serial"
    assert match["area"] in {"PLT", "VOD", "RDM", "TPM"}
    assert int(match["status"]) == entry.http_status, (
        f"{code} embeds {match['status']}, says {entry.http_status}"
    )


def test_every_documented_code_is_present_and_marked_documented(contract: Contract) -> None:
    documented = {code for code, entry in contract.errors.items() if entry.provenance == "documented"}
    assert documented == DOCUMENTED


def test_every_inferred_code_gives_its_reasoning(contract: Contract) -> None:
    missing = [c for c, e in contract.errors.items() if e.provenance == "inferred" and not e.reasoning]
    assert missing == []


def test_every_entry_has_both_messages_and_an_action(contract: Contract) -> None:
    incomplete = [
        code
        for code, entry in contract.errors.items()
        if not (entry.message_id.strip() and entry.message_en.strip() and entry.action.strip())
    ]
    assert incomplete == []


def test_only_server_side_and_rate_limit_codes_are_retryable(contract: Contract) -> None:
    retryable = {code for code, entry in contract.errors.items() if entry.retryable}
    assert retryable
    assert all(contract.error(code).http_status in {429, 500, 502, 503, 504} for code in retryable)
    assert all(
        entry.retryable
        for entry in contract.errors.values()
        if entry.http_status in {429, 500, 502, 503, 504}
    )


def test_operations_named_by_entries_exist_in_the_openapi_document(contract: Contract) -> None:
    known = set(contract.operations) | {"*", CONTROL_API}
    unknown = {(code, op) for code, e in contract.errors.items() for op in e.operations if op not in known}
    assert unknown == set()


def test_every_code_an_operation_declares_is_in_the_catalogue(contract: Contract) -> None:
    declared = {code for op in contract.operations.values() for code in op.spec.get("x-error-codes", ())}
    assert declared - set(contract.errors) == set()


def test_every_catalogue_code_is_declared_by_some_operation(contract: Contract) -> None:
    declared = {code for op in contract.operations.values() for code in op.spec.get("x-error-codes", ())}
    routing = {code for code, e in contract.errors.items() if e.operations in {("*",), (CONTROL_API,)}}
    assert set(contract.errors) - declared - routing == set()


def test_the_control_apis_codes_are_sandbox_only_and_raised_by_no_operation(contract: Contract) -> None:
    control = {code for code, e in contract.errors.items() if CONTROL_API in e.operations}

    assert control == {"ERRPLT40108", "ERRPLT40303", "ERRPLT40304"}
    for code in control:
        entry = contract.errors[code]
        assert entry.operations == (CONTROL_API,)
        assert entry.provenance == "inferred"
        assert (entry.reasoning or "").startswith("Sandbox-only")
    declared = {code for op in contract.operations.values() for code in op.spec.get("x-error-codes", ())}
    assert control.isdisjoint(declared)


def _codes_in(paths: list[Path]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in paths:
        for code in CODE_IN_TEXT.findall(path.read_text(encoding="utf-8", errors="replace")):
            found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_code_used_anywhere_in_the_project_is_in_the_catalogue(contract: Contract) -> None:
    sources = [
        path
        for folder in ("sdk", "sandbox", "contracts", "docs", "tests", "examples")
        if (ROOT / folder).is_dir()
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".yaml", ".json", ".md", ".html"} and "errors.yaml" not in path.name
    ]
    used = _codes_in(sources)
    unknown = {
        code: sorted(where)
        for code, where in used.items()
        if code not in contract.errors and not code.endswith(RESERVED_UNKNOWN_SERIAL)
    }
    assert unknown == {}


def test_the_serial_reserved_for_unknown_codes_is_never_catalogued(contract: Contract) -> None:
    assert [code for code in contract.errors if code.endswith(RESERVED_UNKNOWN_SERIAL)] == []


def test_every_scenario_code_is_in_the_catalogue(contract: Contract) -> None:
    cases = contract.scenarios["test_codes"]["cases"]
    magic = contract.scenarios["magic_participants"]["participants"]
    codes = {c["expect_code"] for c in cases if "expect_code" in c} | {m["code"] for m in magic if m["code"]}
    assert codes - set(contract.errors) == set()


def test_catalogue_operations_agree_with_the_operations_declaring_each_code(contract: Contract) -> None:
    declared: dict[str, set[str]] = {}
    for op in contract.operations.values():
        for code in op.spec.get("x-error-codes", ()):
            declared.setdefault(code, set()).add(op.operation_id)
    disagreements = {
        code: (
            sorted(set(entry.operations) - declared.get(code, set())),
            sorted(declared.get(code, set()) - set(entry.operations)),
        )
        for code, entry in contract.errors.items()
        if entry.operations not in {("*",), (CONTROL_API,)}
        and set(entry.operations) != declared.get(code, set())
    }
    assert disagreements == {}


def test_messages_written_here_are_labelled_inferred(contract: Contract) -> None:
    # ERRPLT40036: only the case heading is on the page; ERRPLT40028: the page's text breaks off.
    written_here = {
        code for code, entry in contract.errors.items() if entry.message_provenance != entry.provenance
    }
    assert written_here == {"ERRPLT40036", "ERRPLT40028"}
    for code in written_here:
        entry = contract.error(code)
        assert entry.message_provenance == "inferred"
        assert entry.message_reasoning
    assert all(
        entry.message_provenance == "inferred"
        for entry in contract.errors.values()
        if entry.provenance == "inferred"
    )
