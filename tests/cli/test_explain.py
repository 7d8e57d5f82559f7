from __future__ import annotations

import json

from click.shell_completion import BashComplete
from click.testing import CliRunner

from prakerja.cli import cli
from prakerja.contract import load_contract


def test_explain_prints_both_languages_action_and_provenance(runner: CliRunner) -> None:
    entry = load_contract().error("ERRPLT40013")

    result = runner.invoke(cli, ["explain", "ERRPLT40013"])

    assert result.exit_code == 0
    assert result.stdout.startswith(
        f"ERRPLT40013  {entry.title}  (HTTP {entry.http_status}, {entry.provenance}"
    )
    for text in (entry.message_id, entry.message_en, entry.action):
        assert text in result.stdout
    if entry.reasoning:
        assert entry.reasoning in result.stdout


def test_explain_accepts_a_lower_case_code(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "errvod40001"])

    assert result.exit_code == 0
    assert "Kode transaksi tidak ditemukan." in result.stdout


def test_an_unknown_code_gets_the_closest_codes(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "ERRPLT4013"])

    assert result.exit_code == 2
    assert "not in the error catalogue" in result.output
    assert "ERRPLT40013" in result.output


def test_list_shows_every_catalogue_code(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "--list"])

    listed = {line.split()[0] for line in result.stdout.splitlines()}
    assert listed == set(load_contract().errors)


def test_list_filters_by_family(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "--list", "--family", "void", "--json"])

    families = {entry["family"] for entry in json.loads(result.stdout)}
    assert families == {"void"}


def test_json_output_is_the_catalogue_entry(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "ERROAUTH4024", "--json"])

    assert json.loads(result.stdout)["http_status"] == load_contract().error("ERROAUTH4024").http_status


def test_codes_complete_in_the_shell() -> None:
    completion = BashComplete(cli, {}, "prakerja", "_PRAKERJA_COMPLETE")

    values = [item.value for item in completion.get_completions(["explain"], "errvod")]

    assert values == sorted(code for code in load_contract().errors if code.startswith("ERRVOD"))


def test_operations_complete_in_the_shell() -> None:
    completion = BashComplete(cli, {}, "prakerja", "_PRAKERJA_COMPLETE")

    values = [item.value for item in completion.get_completions(["call"], "payments.")]

    assert "payments.send_otp" in values
    assert all(value.startswith("payments.") for value in values)
