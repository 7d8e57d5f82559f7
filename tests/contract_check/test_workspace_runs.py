"""``prakerja-contract check --workspace``: two runs at once on one shared sandbox, each in its own workspace.

Both runs reset and write (stateful lifecycles) inside their workspaces; the default workspace keeps a
purchase made before them, its clock and its request log, and no workspace is left behind. As two CI jobs
would, the two runs are processes of their own against a served sandbox process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from prakerja.contract_check import Credentials
from prakerja.contract_check.cli import main
from prakerja.contract_check.workspace import WorkspaceError, own_workspace
from prakerja.testing import serve
from prakerja_sandbox import create_app
from reliability.served import ServedSandbox


def _args(url: str, who: Credentials, seed: int) -> list[str]:
    return [
        "check",
        "--base-url",
        url,
        "--client-code",
        who.client_code,
        "--sign-key",
        who.sign_key,
        "--workspace",
        "--only",
        "stateful",
        "--lifecycles",
        "3",
        "--stateful-steps",
        "8",
        "--max-examples",
        "3",
        "--seed",
        str(seed),
        "--quiet",
    ]


def _control(url: str, path: str) -> Any:
    answer = httpx.get(f"{url}/_sandbox{path}", timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


_CHECK = "import sys; from prakerja.contract_check.cli import main; sys.exit(main(sys.argv[1:]))"


def test_two_concurrent_checks_leave_the_shared_sandbox_alone(tmp_path: Path, tokopedia: Credentials) -> None:
    server = ServedSandbox(tmp_path / "shared.sqlite3", workers=2)
    try:
        url = server.base_url
        before_transactions = _control(url, "/transactions")
        before_clock = _control(url, "/clock")

        runs = [
            subprocess.Popen(
                [sys.executable, "-c", _CHECK, *_args(url, tokopedia, seed)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
            for seed in (1, 2)
        ]
        outputs = [run.communicate(timeout=600)[0].decode(errors="replace") for run in runs]

        assert [run.returncode for run in runs] == [0, 0], "\n".join(outputs)
        assert _control(url, "/transactions") == before_transactions
        assert _control(url, "/clock")["offset_seconds"] == before_clock["offset_seconds"]
        assert _control(url, "/workspaces") == []
    finally:
        server.stop()


def test_a_sandbox_without_a_control_api_is_refused_before_the_run(tokopedia: Credentials) -> None:
    with serve(create_app({"control_api": False})) as server:
        with (
            pytest.raises(WorkspaceError, match="answered HTTP 404"),
            own_workspace(server.url, None, timeout=10),
        ):
            pass  # pragma: no cover - never reached
        assert main(_args(server.url, tokopedia, 1)) == 1
