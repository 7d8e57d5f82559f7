"""The pytest plugin of the partner testing kit (registered as ``prakerja`` when the package is installed).

Fixtures:

``prakerja_sandbox``
    a fresh in-process sandbox per test (:class:`~prakerja.testing.LocalSandbox`); the SDK reaches it through
    ``httpx.WSGITransport``, no socket is opened.
``prakerja_sandbox_server``
    a fresh sandbox served on a free local port (``.base_url``), for code that is not Python or not httpx.
``prakerja_sandbox_config``
    the settings both start with; override it in a ``conftest.py``, or mark a test
    ``@pytest.mark.prakerja_sandbox(otp_mode="random")``.

A test fails when the sandbox answered any of its requests with a ``Prakerja-Sandbox-Warning`` (a request the
real Prakerja may refuse: a signature over a re-serialised body, ``sequence`` omitted, ...); the failure quotes
each warning. Accept them with ``@pytest.mark.prakerja_allow_warnings`` (all) or
``@pytest.mark.prakerja_allow_warnings("SBXW005")`` (those codes), or for the whole run with
``--prakerja-allow-warnings``. ``--prakerja-strict`` starts every sandbox in strict mode instead, so such
requests are refused outright.

At the end of the run the plugin prints which catalogue codes the tests made the sandbox answer and which
they never exercised, codes a digital platform must handle first (``--prakerja-coverage FILE`` also writes it
as Markdown, or JSON for a ``.json`` file; ``--prakerja-no-coverage`` turns the summary off).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from prakerja.testing.coverage import ErrorCoverage
from prakerja.testing.harness import LocalSandbox, SandboxError, SandboxWarning

__all__ = [
    "prakerja_sandbox",
    "prakerja_sandbox_config",
    "prakerja_sandbox_server",
    "pytest_addoption",
    "pytest_configure",
    "pytest_runtest_call",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
]

_COVERAGE = pytest.StashKey[ErrorCoverage]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("prakerja", "Prakerja sandbox")
    group.addoption(
        "--prakerja-coverage",
        metavar="FILE",
        default=None,
        help="write the Prakerja error-coverage report to FILE (Markdown; JSON when FILE ends in .json)",
    )
    group.addoption(
        "--prakerja-coverage-role",
        choices=("dp", "lp"),
        default=None,
        help="report only the codes a digital platform (dp) or a training institution (lp) can meet",
    )
    group.addoption(
        "--prakerja-coverage-fail-under",
        type=float,
        metavar="PERCENT",
        default=None,
        help="fail the run when fewer than PERCENT of the must-handle codes were exercised (a DP's "
        "dp_must_handle codes; with --prakerja-coverage-role lp, the codes of an LP's operations)",
    )
    group.addoption(
        "--prakerja-no-coverage",
        action="store_true",
        default=False,
        help="do not print the Prakerja error-coverage summary",
    )
    group.addoption(
        "--prakerja-allow-warnings",
        action="store_true",
        default=False,
        help="do not fail a test whose requests the Prakerja sandbox answered with a Prakerja-Sandbox-Warning",
    )
    group.addoption(
        "--prakerja-strict",
        action="store_true",
        default=False,
        help="start every Prakerja sandbox fixture in strict mode (lenient requests are refused, not warned)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "prakerja_sandbox(**settings): sandbox settings for this test (SandboxConfig fields)"
    )
    config.addinivalue_line(
        "markers",
        "prakerja_allow_warnings(*codes): do not fail this test on Prakerja-Sandbox-Warning answers (only on "
        "the codes given, when any are)",
    )
    config.stash[_COVERAGE] = ErrorCoverage(role=config.getoption("--prakerja-coverage-role", None))


@pytest.fixture
def prakerja_sandbox_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Settings of the sandbox a test starts (``SandboxConfig`` fields); the marker's keywords win."""
    settings: dict[str, Any] = {}
    if request.config.getoption("--prakerja-strict"):
        settings["strict"] = True
    for marker in reversed(list(request.node.iter_markers("prakerja_sandbox"))):
        settings.update(marker.kwargs)
    return settings


def _record(request: pytest.FixtureRequest, sandbox: LocalSandbox) -> None:
    try:
        coverage = sandbox.coverage()
    except (SandboxError, httpx.HTTPError):  # a broken sandbox still lets the test report its own result
        return
    request.config.stash[_COVERAGE].add(coverage, test=request.node.nodeid)


@pytest.fixture
def prakerja_sandbox(
    request: pytest.FixtureRequest, prakerja_sandbox_config: dict[str, Any]
) -> Iterator[LocalSandbox]:
    """A fresh in-process Prakerja sandbox (no socket): ``.client("SBX-DP-TOKOPEDIA")`` gives a wired SDK."""
    sandbox = LocalSandbox.in_process(prakerja_sandbox_config or None)
    try:
        yield sandbox
        _record(request, sandbox)
    finally:
        sandbox.close()


@pytest.fixture
def prakerja_sandbox_server(
    request: pytest.FixtureRequest, prakerja_sandbox_config: dict[str, Any]
) -> Iterator[LocalSandbox]:
    """A fresh Prakerja sandbox served on ``.base_url`` (``http://127.0.0.1:<free port>``)."""
    sandbox = LocalSandbox.served(prakerja_sandbox_config or None)
    try:
        yield sandbox
        _record(request, sandbox)
    finally:
        sandbox.close()


def _below_gate(config: pytest.Config) -> str | None:
    """Why the coverage gate fails, or ``None`` (also when no gate was asked for)."""
    floor = config.getoption("--prakerja-coverage-fail-under", None)
    coverage = config.stash.get(_COVERAGE, None)
    if floor is None or coverage is None:
        return None
    from prakerja.contract import load_contract

    share, missing = coverage.gate(load_contract())
    if share >= floor:
        return None
    return (
        f"Prakerja error coverage {share:.0f}% is under --prakerja-coverage-fail-under={floor:g}%; "
        f"never exercised: {', '.join(missing)}"
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if exitstatus == pytest.ExitCode.OK and _below_gate(session.config) is not None:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _allowed(item: pytest.Item) -> set[str] | None:
    """The warning codes the test accepts: ``None`` for every code."""
    if item.config.getoption("--prakerja-allow-warnings"):
        return None
    codes: set[str] = set()
    for marker in item.iter_markers("prakerja_allow_warnings"):
        if not marker.args:
            return None
        codes.update(str(code) for code in marker.args)
    return codes


def _warned(item: pytest.Item) -> list[SandboxWarning]:
    funcargs: dict[str, Any] = getattr(item, "funcargs", {})
    sandboxes = {id(value): value for value in funcargs.values() if isinstance(value, LocalSandbox)}
    found: list[SandboxWarning] = []
    for sandbox in sandboxes.values():
        try:
            found.extend(sandbox.warnings())
        except (SandboxError, httpx.HTTPError):  # a sandbox the test broke or closed reports nothing
            continue
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail a test that passed although the sandbox warned about some of its requests."""
    yield
    allowed = _allowed(item)
    if allowed is None:
        return
    warned = [warning for warning in _warned(item) if warning.code not in allowed]
    if warned:
        lines = "\n".join(f"  {warning}" for warning in warned)
        pytest.fail(
            "the Prakerja sandbox accepted these requests only through a lenient reading of the docs; the real "
            f"Prakerja may refuse them (a strict sandbox does):\n{lines}\n"
            "Fix the requests, or accept the warnings with @pytest.mark.prakerja_allow_warnings(CODE, ...) or "
            "--prakerja-allow-warnings.",
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    gate = _below_gate(config)
    if gate is not None:
        terminalreporter.section("Prakerja error coverage gate", red=True)
        terminalreporter.write_line(gate)
    coverage = config.stash.get(_COVERAGE, None)
    if coverage is None or not coverage.used:
        return
    from prakerja.contract import load_contract

    contract = load_contract()
    target = config.getoption("--prakerja-coverage")
    if target:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = coverage.to_json(contract) if path.suffix == ".json" else coverage.to_markdown(contract)
        path.write_text(text, encoding="utf-8")
    if config.getoption("--prakerja-no-coverage"):
        return
    terminalreporter.section("Prakerja error coverage")
    for line in coverage.summary_lines(contract):
        terminalreporter.write_line(line)
    if target:
        terminalreporter.write_line(f"written to {target}")
