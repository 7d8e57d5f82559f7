"""``prakerja-contract check --workspace``: two runs at once on one shared sandbox, each in its own workspace.

Both runs reset and write (stateful lifecycles) inside their workspaces; the default workspace keeps a
purchase made before them, its clock and its request log, and no workspace is left behind.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from prakerja.contract_check import Credentials
from prakerja.contract_check.cli import main
from prakerja.contract_check.workspace import WorkspaceError, own_workspace
from prakerja.testing import serve
from prakerja_sandbox import create_app


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


def test_two_concurrent_checks_leave_the_shared_sandbox_alone(
    sandbox_app: Any, tokopedia: Credentials
) -> None:
    with serve(sandbox_app) as server:
        before_transactions = _control(server.url, "/transactions")
        before_clock = _control(server.url, "/clock")
        statuses: list[int] = []

        def run(seed: int) -> None:
            statuses.append(main(_args(server.url, tokopedia, seed)))

        runs = [threading.Thread(target=run, args=(seed,)) for seed in (1, 2)]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join(timeout=600)

        assert statuses == [0, 0]
        assert _control(server.url, "/transactions") == before_transactions
        assert _control(server.url, "/clock")["offset_seconds"] == before_clock["offset_seconds"]
        assert _control(server.url, "/workspaces") == []


def test_a_sandbox_without_a_control_api_is_refused_before_the_run(tokopedia: Credentials) -> None:
    with serve(create_app({"control_api": False})) as server:
        with (
            pytest.raises(WorkspaceError, match="answered HTTP 404"),
            own_workspace(server.url, None, timeout=10),
        ):
            pass  # pragma: no cover - never reached
        assert main(_args(server.url, tokopedia, 1)) == 1
