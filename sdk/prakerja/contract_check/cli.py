"""``prakerja-contract``: check any server against the Prakerja contract from the command line.

::

    prakerja-contract check --base-url http://127.0.0.1:5000 --client-code SBX-DP-TOKOPEDIA \\
        --sign-key $PRAKERJA_SIGN_KEY --report contract-report.md --junit contract-junit.xml

    prakerja-contract proxy --upstream https://api-ssn.prakerja.go.id --listen 127.0.0.1:8080 \\
        --observations observations.jsonl
    prakerja-contract observations observations.jsonl --markdown observations.md

Exit status of ``check``: 0 when every check held, 1 when a check failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx

from prakerja.contract import load_contract
from prakerja.contract_check import proxy_cli
from prakerja.contract_check.junit import to_junit_xml
from prakerja.contract_check.report import Report
from prakerja.contract_check.runner import KINDS, SUB_KINDS, check
from prakerja.contract_check.wire import Credentials
from prakerja.contract_check.workspace import WorkspaceError, own_workspace

__all__ = ["build_parser", "main", "wait_for_server", "write_reports"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``prakerja-contract``."""
    parser = argparse.ArgumentParser(
        prog="prakerja-contract",
        description="Check a server (the local sandbox or Prakerja itself) against the Prakerja contract.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("check", help="generate requests from the contract and check every answer")
    run.add_argument("--base-url", required=True, help="the server, e.g. http://127.0.0.1:5000")
    run.add_argument("--client-code", required=True, help="your client_code on that server")
    run.add_argument(
        "--sign-key",
        default=os.environ.get("PRAKERJA_SIGN_KEY"),
        help="your sign key (default: $PRAKERJA_SIGN_KEY)",
    )
    run.add_argument("--max-examples", type=int, default=25, help="generated requests per check (default 25)")
    run.add_argument("--seed", type=int, default=None, help="repeat a run exactly (printed by every run)")
    writes = run.add_mutually_exclusive_group()
    writes.add_argument(
        "--allow-writes",
        action="store_true",
        default=None,
        help="also send operations with side effects (payments, submissions); default: only to a sandbox",
    )
    writes.add_argument("--no-writes", dest="allow_writes", action="store_false", help="never send them")
    run.add_argument("--report", type=Path, help="write the report here (.md for Markdown, otherwise JSON)")
    run.add_argument("--junit", type=Path, help="write a JUnit XML file for the CI system")
    run.add_argument(
        "--only",
        action="append",
        choices=(*KINDS, *SUB_KINDS),
        help="run only these kinds of check (repeatable; default: all; role: only the role/... checks, "
        "which valid also runs)",
    )
    run.add_argument("--operation", action="append", help="check only this operationId (repeatable)")
    run.add_argument("--sso-base-url", help="base URL of the SSO server (default: --base-url)")
    run.add_argument("--oauth-base-url", help="base URL of the consent page server (default: --base-url)")
    for role in ("dp", "lp"):
        run.add_argument(f"--{role}-client-code", help=f"credentials of a {role.upper()}, for its operations")
        run.add_argument(f"--{role}-sign-key", help=f"sign key of that {role.upper()}")
    run.add_argument(
        "--control-token", default=os.environ.get("PRAKERJA_SANDBOX_TOKEN"), help="sandbox control token"
    )
    run.add_argument("--no-control-api", action="store_true", help="do not use the sandbox control API")
    run.add_argument(
        "--allow-reset",
        action="store_true",
        help="let the run reset the sandbox (POST /_sandbox/reset) before, after and during lifecycle "
        "checks; only for a sandbox you started for this run (without it, lifecycle checks are skipped)",
    )
    run.add_argument(
        "--workspace",
        action="store_true",
        help="run in a workspace of its own on a shared sandbox: made before the run, reset by it, deleted "
        "after it, so nobody else's state is touched (needs the sandbox's control token)",
    )
    run.add_argument(
        "--timestamp-window", type=int, default=300, help="the server's timestamp window in seconds"
    )
    run.add_argument("--max-body-bytes", type=int, default=65536, help="the server's body size limit")
    run.add_argument("--stateful-steps", type=int, default=30, help="steps per lifecycle run (default 30)")
    run.add_argument(
        "--lifecycles", type=int, default=None, help="lifecycle runs (default: 2 x --max-examples, >= 20)"
    )
    run.add_argument(
        "--shrink-lifecycles",
        action="store_true",
        help="shrink a failing lifecycle to its fewest steps (slow; requests are always shrunk)",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="wait up to SECONDS for the server to answer first (a sandbox just started in CI)",
    )
    run.add_argument("--quiet", action="store_true", help="no progress lines")
    proxy_cli.add_commands(commands)
    return parser


def write_reports(report: Report, *, report_path: Path | None, junit_path: Path | None) -> None:
    """Write the Markdown/JSON report and the JUnit XML file where asked."""
    if report_path is not None:
        text = (
            report.to_markdown() if report_path.suffix.lower() in {".md", ".markdown"} else report.to_json()
        )
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(text, encoding="utf-8")
    if junit_path is not None:
        junit_path.parent.mkdir(parents=True, exist_ok=True)
        junit_path.write_text(to_junit_xml(report), encoding="utf-8")


def wait_for_server(base_url: str, seconds: float) -> bool:
    """Whether ``base_url`` answers (any HTTP status) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(base_url, timeout=2.0)
        except httpx.TransportError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.5)
        else:
            return True


def _credentials(args: argparse.Namespace, role: str) -> Credentials | None:
    code, key = getattr(args, f"{role}_client_code"), getattr(args, f"{role}_sign_key")
    if code and key:
        return Credentials(client_code=code, sign_key=key)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command != "check":
        return proxy_cli.run(args)
    if not args.sign_key:
        parser.error("--sign-key is required (or set PRAKERJA_SIGN_KEY)")
    for role in ("dp", "lp"):
        if bool(getattr(args, f"{role}_client_code")) != bool(getattr(args, f"{role}_sign_key")):
            parser.error(f"--{role}-client-code and --{role}-sign-key go together")
    known = load_contract().operations
    unknown = [op for op in args.operation or () if op not in known]
    if unknown:
        parser.error(f"unknown operation(s) {', '.join(unknown)}; known: {', '.join(known)}")
    base_urls = {
        name: url for name, url in (("sso", args.sso_base_url), ("oauth", args.oauth_base_url)) if url
    }

    if args.wait and not wait_for_server(args.base_url, args.wait):
        print(f"prakerja-contract: {args.base_url} did not answer within {args.wait:g} s", file=sys.stderr)
        return 1

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    with contextlib.ExitStack() as stack:
        if args.workspace:
            try:
                made = stack.enter_context(own_workspace(args.base_url, args.control_token))
            except WorkspaceError as error:
                print(f"prakerja-contract: --workspace: {error}", file=sys.stderr)
                return 1
            if not args.quiet:
                progress(f"checking in workspace {made.name} ({made.base_url}); it is deleted after the run")
            args.base_url, args.control_token, args.allow_reset = made.base_url, made.control_token, True
        report = _run(args, base_urls, progress)
    write_reports(report, report_path=args.report, junit_path=args.junit)
    print(report.summary())
    return 0 if report.ok else 1


def _run(args: argparse.Namespace, base_urls: dict[str, str], progress: Callable[[str], None]) -> Report:
    """The check the parsed ``args`` ask for."""
    return check(
        base_url=args.base_url,
        client_code=args.client_code,
        sign_key=args.sign_key,
        max_examples=args.max_examples,
        seed=args.seed,
        allow_writes=args.allow_writes,
        operations=args.operation,
        kinds=tuple(args.only) if args.only else KINDS,
        dp_credentials=_credentials(args, "dp"),
        lp_credentials=_credentials(args, "lp"),
        base_urls=base_urls,
        control_token=args.control_token,
        use_control_api=not args.no_control_api,
        timestamp_window=args.timestamp_window,
        max_body_bytes=args.max_body_bytes,
        stateful_steps=args.stateful_steps,
        lifecycles=args.lifecycles,
        shrink_lifecycles=args.shrink_lifecycles,
        allow_reset=args.allow_reset,
        progress=None if args.quiet else progress,
    )


if __name__ == "__main__":
    raise SystemExit(main())
