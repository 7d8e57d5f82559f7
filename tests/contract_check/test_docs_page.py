"""docs/contract-checks.md shows the example project's CI files as they are, and a real run of them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from docs.samples import Command, Sample, commands, output_matches, samples
from prakerja.cli._explain import render_entry
from prakerja.contract import load_contract
from prakerja.contract_check.observations import read_observations
from prakerja.contract_check.observations_report import propose, summarise
from prakerja.contract_check.proxy import ContractProxy
from prakerja.testing import LocalSandbox
from prakerja_sandbox import create_app

from .drifting import drifting, serve
from .test_proxy import SEND_OTP, _post, observations

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "contract-checks.md"
EXAMPLE = ROOT / "examples" / "dp-checkout"


@pytest.mark.parametrize("ci_file", [".github/workflows/prakerja.yml", ".gitlab-ci.yml"])
def test_the_page_shows_the_example_ci_file_verbatim(ci_file: str) -> None:
    content = (EXAMPLE / ci_file).read_text(encoding="utf-8")

    assert f"```yaml\n{content}```" in PAGE.read_text(encoding="utf-8")


def test_the_page_shows_a_run_of_both_jobs_with_their_reports() -> None:
    text = PAGE.read_text(encoding="utf-8")

    assert "$ pytest --junitxml=reports/junit.xml --prakerja-coverage=reports/prakerja-coverage.md" in text
    assert "Prakerja error coverage" in text
    assert "$ prakerja-contract check --wait 30 --base-url http://127.0.0.1:5000" in text
    assert '??? example "reports/contract-report.md"' in text


# The proxy session of the page ---------------------------------------------------------------------------------

SESSION = "run by tests/contract_check/test_docs_page.py"


def _session_blocks() -> list[Sample]:
    return [s for s in samples(PAGE) if s.norun_reason and SESSION in s.norun_reason]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _bash_session(steps: list[Command], env: dict[str, str], cwd: Path) -> list[list[str]]:
    """Run the commands in one bash session; the lines each printed (stdout and stderr)."""
    marker = f"--- {uuid.uuid4().hex} ---"
    script = "\n".join(f"echo '{marker}'\n{step.command} 2>&1" for step in steps)
    done = subprocess.run(
        ["bash", "-c", script], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )
    chunks = done.stdout.split(marker + "\n")[1:]
    assert len(chunks) == len(steps), f"the session stopped early:\n{done.stdout}\n{done.stderr}"
    return [chunk.splitlines() for chunk in chunks]


def _assert_prints(step: Command, printed: list[str], local: Callable[[str], str]) -> None:
    expected = tuple(local(line) for line in step.expected)
    assert output_matches(expected, printed), (
        f"`{step.command}`\nshown:\n" + "\n".join(expected) + "\nprinted:\n" + "\n".join(printed)
    )


def _subset(shown: Any, real: Any) -> bool:
    if isinstance(shown, dict):
        return isinstance(real, dict) and all(k in real and _subset(v, real[k]) for k, v in shown.items())
    if isinstance(shown, list):
        return isinstance(real, list) and len(shown) == len(real) and all(map(_subset, shown, real))
    return bool(shown == real)


def _page_env() -> dict[str, str]:
    """The environment a reader's shell gives the page's commands: this Python's scripts first, no PRAKERJA_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAKERJA_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _start(command: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """A command of the page, run as a reader's shell runs it, its output (stderr included) on ``stdout``."""
    return subprocess.Popen(
        ["bash", "-c", "exec " + command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_the_recorded_session_prints_what_the_page_shows(tmp_path: Path) -> None:
    proxy_block, client_block, report_block = _session_blocks()
    env = _page_env()
    with LocalSandbox.served() as sandbox:
        listen = f"127.0.0.1:{_free_port()}"
        upstream = sandbox.base_url.removeprefix("http://")

        def local(text: str) -> str:
            return text.replace("127.0.0.1:5000", upstream).replace("127.0.0.1:8080", listen)

        [proxy_step] = commands(proxy_block)
        proxy = _start(local(proxy_step.command), tmp_path, env)
        try:
            assert proxy.stdout is not None
            started = proxy.stdout.readline()  # printed once the proxy listens
            client_steps = commands(client_block)
            printed = _bash_session(
                [attrs.evolve(s, command=local(s.command)) for s in client_steps], env, tmp_path
            )
            time.sleep(0.5)  # the last observation is written just after its answer
            proxy.send_signal(signal.SIGINT)
            rest, _ = proxy.communicate(timeout=15)
        finally:
            if proxy.poll() is None:
                proxy.kill()
    _assert_prints(proxy_step, (started + rest).splitlines(), local)
    for step, lines in zip(client_steps, printed, strict=True):
        _assert_prints(step, lines, local)
    [report_step] = commands(report_block)
    [report] = _bash_session([report_step], env, tmp_path)
    _assert_prints(report_step, report, local)
    assert (tmp_path / "observations.md").read_text(encoding="utf-8").startswith("# Contract observations")
    shown_line = next(s for s in samples(PAGE) if s.lang == "json" and '"payments.send_otp"' in s.code)
    real_line = json.loads((tmp_path / "observations.jsonl").read_text(encoding="utf-8").splitlines()[2])
    assert _subset(json.loads(shown_line.code), real_line)


STARTUP = "stops the proxy after its start-up lines"


def test_the_proxy_for_every_production_host_prints_what_the_page_shows(tmp_path: Path) -> None:
    # The proxy connects to an upstream only when a request comes, so this runs offline; the hosts it prints
    # come from prakerja.environments, as the page says.
    [block] = [s for s in samples(PAGE) if s.norun_reason and STARTUP in s.norun_reason]
    [step] = commands(block)
    listen = f"127.0.0.1:{_free_port()}"

    def local(text: str) -> str:
        return text.replace("127.0.0.1:8080", listen)

    env = _page_env()
    proxy = _start(local(step.command), tmp_path, env)
    try:
        assert proxy.stdout is not None
        printed = [proxy.stdout.readline().rstrip("\n") for _ in step.expected]
        proxy.send_signal(signal.SIGINT)
        proxy.communicate(timeout=15)
    finally:
        if proxy.poll() is None:
            proxy.kill()

    _assert_prints(step, printed, local)
    assert "--environment production" in step.command


def test_the_unknown_code_proposal_and_its_explain_output_are_the_tools_own(tmp_path: Path) -> None:
    file = tmp_path / "observations.jsonl"
    with serve(drifting(create_app())) as upstream, ContractProxy(upstream.url, observations=file) as proxy:
        payload = {
            "user_platform_id": "u-1",
            "prakerja_id": "9999999999999999",
            "course_code": "prakerjaoauth1",
            "schedule_code": "prakerjaoauth",
            "amount": 20000,
        }
        _post(proxy, SEND_OTP, payload)
        observations(proxy, 1)
    summary = summarise(read_observations(file))
    [tally] = [t for t in summary.tallies if t.finding.kind == "unknown-code"]
    day = tally.first_seen[:10]
    operation = summary.to_text().split("\n\n", 1)[1].split("\n\n")[0]
    report = textwrap.dedent(operation.split("\n", 1)[1]).splitlines()
    text_blocks = [s.code for s in samples(PAGE) if s.lang == "text"]
    shown = next(b for b in text_blocks if b.startswith("[unknown-code]")).replace("2026-12-06", day)

    assert shown.splitlines() == [line for line in report if not line.strip().startswith("seen ")]
    entry_yaml = (
        propose(tally, summary.contract)
        .split("\n", 1)[1]
        .replace("TODO name it from Prakerja's message", "SendOtpRefusedObserved")
    )
    contracts = tmp_path / "contracts"
    shutil.copytree(load_contract().root, contracts)
    catalogue = yaml.safe_load((contracts / "errors.yaml").read_text(encoding="utf-8"))
    catalogue["errors"] += yaml.safe_load(entry_yaml)
    (contracts / "errors.yaml").write_text(yaml.safe_dump(catalogue, allow_unicode=True), encoding="utf-8")
    explained = render_entry(load_contract(contracts).error("ERRPLT40099")).splitlines()
    shown_explain = next(b for b in text_blocks if b.startswith("ERRPLT40099")).replace("2026-12-06", day)
    assert output_matches(tuple(shown_explain.splitlines()), explained)
