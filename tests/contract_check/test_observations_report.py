"""``prakerja-contract observations``: the report of a recorded session, and its proposals applied to a copy of
``contracts/`` load as a valid contract with ``provenance: observed``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from prakerja.cli._explain import render_entry
from prakerja.contract import load_contract
from prakerja.contract_check.cli import main
from prakerja.contract_check.observations import read_observations
from prakerja.contract_check.observations_report import propose, summarise
from prakerja.contract_check.proxy import ContractProxy
from prakerja_sandbox import create_app

from .drifting import drifting, raw_request, serve
from .test_proxy import (
    DP,
    LP,
    QUOTA,
    REDEEM_STATUS,
    SEND_OTP,
    STATUS,
    _post,
    message,
    observations,
)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An observations file recorded through the proxy in front of the drifting server."""
    file = tmp_path_factory.mktemp("session") / "observations.jsonl"
    with serve(drifting(create_app())) as upstream, ContractProxy(upstream.url, observations=file) as proxy:
        quota = {"course_code": "prakerjaoauth1", "schedule_code": "prakerjaoauth"}
        _post(proxy, QUOTA, quota)
        _post(proxy, QUOTA, quota)
        _post(proxy, QUOTA, {"course_code": "no-such-course", "schedule_code": "prakerjaoauth"})
        _post(proxy, REDEEM_STATUS, {"redeem_code": "PRAT-TC1001", "sequence": 1}, LP)
        _post(proxy, STATUS, {"invoice_code": "testing-1234567"})
        buyer = {"user_platform_id": "u", "prakerja_id": "9999999999999999", "amount": 20000, **quota}
        _post(proxy, SEND_OTP, buyer)
        raw_request(proxy.url, message(proxy.url, QUOTA, b'{"course_code": '))
        observations(proxy, 7)
    return file


def test_the_report_lists_each_finding_with_its_count_and_first_time_under_its_operation(
    session: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    markdown = tmp_path / "observations.md"

    status = main(["observations", str(session), "--markdown", str(markdown)])

    out = capsys.readouterr().out
    assert status == 0
    first = next(read_observations(session)).at
    assert out.startswith(f"Observations: 7 exchange(s) from {first} to ")
    quota = out[out.index("\npayments.quota (") : out.index("\nattendance.status (")]
    assert "[type] data.quota: string where the contract says integer (a number written as a string)" in quota
    assert f"seen 2x, first {first}" in quota
    assert "[unknown-code] unknown code ERRPLT40099 on payments.quota (HTTP 400)" in quota
    assert "[server-error] HTTP 500 on payments.quota for a request the contract refuses" in quota
    assert "[enum] data.status: 7 is not one of 0, 1, 2" in out
    assert "[missing] data.transaction_code: missing; the contract requires it" in out
    assert "[unknown-code] unknown code ERRPLT40099 on payments.send_otp (HTTP 400)" in out
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("# Contract observations\n")
    assert "## `payments.quota`" in text
    assert (
        "| data.quota: string where the contract says integer (a number written as a string) | type | 2 |"
        in text
    )


def test_each_finding_proposes_the_matching_change(session: Path) -> None:
    summary = summarise(read_observations(session))

    proposals = {(t.operation, t.finding.kind): t for t in summary.tallies if t.finding.kind != "reading"}
    text = summary.to_text()
    assert "type: [integer, string]" in text
    assert "enum: [0, 1, 2, 7]" in text
    assert "make `transaction_code` optional" in text
    assert "not a contract change" in text
    assert ("payments.send_otp", "unknown-code") in proposals
    assert text.count("provenance: observed") >= 2  # both unknown codes


def test_a_proposed_code_entry_loads_as_an_observed_catalogue_entry(session: Path, tmp_path: Path) -> None:
    summary = summarise(read_observations(session))
    [tally] = [
        t for t in summary.tallies if t.operation == "payments.send_otp" and t.finding.kind == "unknown-code"
    ]
    snippet = propose(tally, summary.contract)
    entry_yaml = snippet.split("\n", 1)[1]
    contracts = tmp_path / "contracts"
    shutil.copytree(load_contract().root, contracts)
    catalogue = yaml.safe_load((contracts / "errors.yaml").read_text(encoding="utf-8"))
    catalogue["errors"] += yaml.safe_load(entry_yaml)
    (contracts / "errors.yaml").write_text(yaml.safe_dump(catalogue, allow_unicode=True), encoding="utf-8")

    entry = load_contract(contracts).error("ERRPLT40099")

    assert snippet.startswith("add the code to contracts/errors.yaml")
    assert (entry.provenance, entry.http_status, entry.operations) == (
        "observed",
        400,
        ("payments.send_otp",),
    )
    assert entry.observed == f"payments.send_otp, first seen {tally.first_seen[:10]}"
    assert render_entry(entry).splitlines()[0].endswith("(HTTP 400, observed)")
    assert f"observed:     {entry.observed}" in render_entry(entry)


def test_a_reading_proposal_names_the_register_entry_and_reading(tmp_path: Path) -> None:
    file = tmp_path / "o.jsonl"
    with serve(create_app()) as upstream, ContractProxy(upstream.url, observations=file) as proxy:
        _post(proxy, STATUS, {"invoice_code": "testing-1234567"}, DP)
        observations(proxy, 1)

    text = summarise(read_observations(file)).to_text()

    assert "[reading] payments.status answered data.amount as an integer" in text
    assert (
        "entry `status-amount-type`: the server took reading `integer` (`data.amount` is a JSON number)"
        in text
    )
    assert (
        "Readings of contracts/ambiguities.yaml the server took:\n  status-amount-type: integer (seen 1x"
        in text
    )


def test_a_file_that_is_not_an_observations_file_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "notes.jsonl"
    file.write_text(json.dumps({"hello": "world"}) + "\n", encoding="utf-8")

    status = main(["observations", str(file)])

    assert status == 2
    assert f"{file}:1: not an observation line" in capsys.readouterr().err
