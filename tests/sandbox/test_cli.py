"""The prakerja-sandbox command line: options, their checks, and the database it prepares."""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path

import pytest

from prakerja_sandbox import SandboxConfig
from prakerja_sandbox.cli import DEFAULT_DATABASE, build_parser, main, sandbox_config
from prakerja_sandbox.server import (
    PartnerCredentials,
    SandboxServer,
    ServeOptions,
    credentials_table,
    prepare,
)


def _config(*argv: str) -> SandboxConfig:
    return sandbox_config(build_parser().parse_args(list(argv)))


def test_defaults_serve_the_seeded_file_database() -> None:
    args = build_parser().parse_args([])
    assert (args.host, args.port, args.workers, args.keepalive) == ("127.0.0.1", 5000, 1, 75)
    assert _config() == SandboxConfig(database=DEFAULT_DATABASE)


def test_options_become_sandbox_settings(tmp_path: Path) -> None:
    seed_file = tmp_path / "seed.yaml"
    config = _config(
        "--database", str(tmp_path / "x.sqlite3"), "--clock-skew", "30", "--clock-offset", "-3600",
        "--otp-mode", "random", "--control-token", "t0k", "--no-seed", "--seed-file", str(seed_file),
    )  # fmt: skip
    assert config == SandboxConfig(
        database=str(tmp_path / "x.sqlite3"),
        timestamp_tolerance_seconds=30,
        clock_offset_seconds=-3600,
        otp_mode="random",
        control_token="t0k",
        seed=False,
        seed_file=seed_file,
    )


def test_no_control_api_turns_it_off() -> None:
    assert _config("--no-control-api").control_api is False


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--database", ":memory:", "--workers", "2"], "lives in one process"),
        (["--workers", "0"], "must be 1 or more"),
        (["--port", "70000"], "not a TCP port"),
        (["--clock-skew", "-1"], "must be 0 or more"),
        (["--keepalive", "-1"], "must be 0 or more"),
        (["--seed-file", "/nonexistent/seed.yaml"], "no such file"),
        (["--otp-mode", "sms"], "invalid choice"),
    ],
)
def test_bad_options_exit_with_status_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_credentials_table_is_aligned() -> None:
    table = credentials_table(
        [
            PartnerCredentials("DP", "Tokopedia", "SBX-DP-TOKOPEDIA", "k1", "active"),
            PartnerCredentials("LP", "LPK Cipta Kreasi Nusantara", "SBX-LP-CIPTAKREASI", "k2", "validated"),
        ]
    )
    header, rule, first, second = table.splitlines()
    assert header.split() == ["role", "name", "client_code", "sign_key", "status"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert (
        first.index("SBX-DP-TOKOPEDIA") == second.index("SBX-LP-CIPTAKREASI") == header.index("client_code")
    )


def test_credentials_table_never_prints_a_sign_key() -> None:
    key = "9d1c9c1ca8da42a15b1a882ecc6c254f9f009d81"
    table = credentials_table([PartnerCredentials("DP", "Tokopedia", "SBX-DP-TOKOPEDIA", key, "active")])
    row = table.splitlines()[2]
    assert key not in table
    assert row.split()[3] == "9d1c..."


def test_prepare_seeds_a_new_database_and_lists_its_partners(tmp_path: Path) -> None:
    partners = prepare(SandboxConfig(database=str(tmp_path / "db.sqlite3")))
    assert len(partners) == 28
    assert partners[0] == PartnerCredentials(
        "DP", "Tokopedia", "SBX-DP-TOKOPEDIA", "9d1c9c1ca8da42a15b1a882ecc6c254f9f009d81", "active"
    )
    assert {p.role for p in partners[8:]} == {"LP"}


def test_prepare_keeps_an_existing_database_unless_reset(tmp_path: Path) -> None:
    config = SandboxConfig(database=str(tmp_path / "db.sqlite3"))
    prepare(config)
    with sqlite3.connect(config.database) as connection:
        connection.execute("UPDATE partners SET status = 'suspended' WHERE code = 'tokopedia'")
    assert prepare(config)[0].status == "suspended"
    assert prepare(config, reset=True)[0].status == "active"


def test_prepare_without_seed_leaves_a_new_database_empty(tmp_path: Path) -> None:
    assert prepare(SandboxConfig(database=str(tmp_path / "db.sqlite3"), seed=False)) == []


def test_strict_and_refusal_status_become_settings() -> None:
    assert (_config().strict, _config().refusal_status) == (False, "400")
    config = _config("--strict", "--refusal-status", "catalogue")
    assert (config.strict, config.refusal_status) == (True, "catalogue")


def test_an_unknown_refusal_status_exits_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["--refusal-status", "401"])
    assert stopped.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_each_worker_freezes_the_heap_it_built_before_serving(tmp_path: Path) -> None:
    server = SandboxServer(SandboxConfig(database=str(tmp_path / "db.sqlite3")), ServeOptions(port=0))
    before = gc.get_freeze_count()
    try:
        server.cfg.post_worker_init(object())  # what gunicorn calls in a worker once its app is loaded
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
