"""``prakerja-sandbox`` (also ``python -m prakerja_sandbox``): run the local Prakerja sandbox.

By default it serves on http://127.0.0.1:5000 with the partners of ``contracts/partners.yaml`` in
``./prakerja-sandbox.sqlite3``, and prints each partner's sandbox credentials. Restarting on the same database
keeps its state; ``--reset`` starts over. Ctrl-C (or SIGTERM) stops it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from prakerja_sandbox.config import SandboxConfig
from prakerja_sandbox.server import ServeOptions, serve

__all__ = ["build_parser", "main", "sandbox_config"]

DEFAULT_DATABASE = "./prakerja-sandbox.sqlite3"
#: the environment variable naming the database when ``--database`` is not given
DATABASE_ENV = "PRAKERJA_SANDBOX_DATABASE"
_LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {value}")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser (its ``--help`` is the reference of every option)."""
    parser = argparse.ArgumentParser(
        prog="prakerja-sandbox",
        description="Run the local Kartu Prakerja sandbox: the partner API, its SSO and OAuth pages, a control "
        "API and a dashboard under /_sandbox, all on one host.",
    )
    serving = parser.add_argument_group("serving")
    serving.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    serving.add_argument(
        "--port", type=_port, default=5000, help="TCP port, 0 picks a free one (default: %(default)s)"
    )
    serving.add_argument(
        "--workers", type=_positive, default=1, help="worker processes (default: %(default)s)"
    )
    serving.add_argument(
        "--keepalive",
        type=_non_negative,
        default=75,
        metavar="SECONDS",
        help="close a keep-alive connection idle this long, 0 closes after each response (default: %(default)s)",
    )
    serving.add_argument(
        "--read-timeout",
        type=_positive,
        default=30,
        metavar="SECONDS",
        help="refuse and close when a request body stalls this long between reads (default: %(default)s)",
    )
    serving.add_argument(
        "--log-level",
        choices=_LOG_LEVELS,
        default="info",
        help="server and sandbox log level (default: %(default)s)",
    )
    serving.add_argument("--no-access-log", action="store_true", help="do not print one line per request")

    state = parser.add_argument_group("state")
    state.add_argument(
        "--database",
        default=os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE,
        metavar="PATH|URL",
        help="where the sandbox state lives: a SQLite file, :memory: (one worker), or a PostgreSQL URL "
        "postgresql://user:password@host:5432/database[?schema=NAME] that several instances may share "
        f"(default: ${DATABASE_ENV}, else {DEFAULT_DATABASE})",
    )
    state.add_argument(
        "--seed-file",
        type=Path,
        metavar="PATH",
        help="seed partners, courses and participants from this YAML file (default: contracts/partners.yaml)",
    )
    state.add_argument(
        "--request-log-rows",
        type=_non_negative,
        default=100_000,
        metavar="ROWS",
        help="keep about this many newest request-log rows, dropping the oldest first; 0 keeps every row "
        "(default: %(default)s)",
    )
    state.add_argument("--no-seed", action="store_true", help="start a new database empty")
    state.add_argument(
        "--reset", action="store_true", help="wipe the database (and reseed it) before serving"
    )

    behaviour = parser.add_argument_group("behaviour")
    behaviour.add_argument(
        "--clock-skew",
        type=_non_negative,
        default=300,
        metavar="SECONDS",
        help="accepted distance between a request's timestamp header and real time (default: %(default)s)",
    )
    behaviour.add_argument(
        "--clock-offset",
        type=int,
        default=0,
        metavar="SECONDS",
        help="start the sandbox clock this far ahead of (negative: behind) real time (default: %(default)s)",
    )
    behaviour.add_argument(
        "--otp-mode",
        choices=("fixed", "random"),
        default="fixed",
        help="fixed: every OTP is 123456; random: read it from the SMS inbox (default: %(default)s)",
    )
    behaviour.add_argument(
        "--strict",
        action="store_true",
        help="refuse every request the sandbox would accept only through a lenient reading of the docs (a "
        "Prakerja-Sandbox-Warning by default), with a catalogue code and a hint naming the leniency",
    )
    behaviour.add_argument(
        "--refusal-status",
        choices=("400", "catalogue"),
        default="400",
        help="400: every refusal answers HTTP 400, as every documented Prakerja error does; catalogue: each "
        "code's own status (401, 403, 413, 415) from the error catalogue (default: %(default)s)",
    )

    control = parser.add_argument_group("control API and dashboard (/_sandbox)")
    control.add_argument("--control-token", metavar="TOKEN", help="require this bearer token on /_sandbox")
    control.add_argument("--no-control-api", action="store_true", help="turn /_sandbox off (answers 404)")
    control.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer /_sandbox under this host name (repeatable; * for any). Loopback names and IP "
        "addresses always work; other names are refused against DNS rebinding (see docs/security.md)",
    )
    return parser


def sandbox_config(args: argparse.Namespace) -> SandboxConfig:
    """The sandbox settings named by parsed command-line ``args``."""
    return SandboxConfig(
        database=args.database,
        seed=not args.no_seed,
        seed_file=args.seed_file,
        timestamp_tolerance_seconds=args.clock_skew,
        clock_offset_seconds=args.clock_offset,
        otp_mode=args.otp_mode,
        strict=args.strict,
        refusal_status=args.refusal_status,
        control_api=not args.no_control_api,
        control_token=args.control_token,
        allowed_hosts=tuple(args.allow_host),
        request_log_max_rows=args.request_log_rows,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sandbox until interrupted; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.database == ":memory:" and args.workers > 1:
        parser.error("--database :memory: lives in one process; use --workers 1 or a database file")
    if args.seed_file is not None and not args.seed_file.is_file():
        parser.error(f"--seed-file {args.seed_file}: no such file")
    options = ServeOptions(
        host=args.host,
        port=args.port,
        workers=args.workers,
        keepalive_seconds=args.keepalive,
        read_timeout_seconds=args.read_timeout,
        log_level=args.log_level,
        access_log=not args.no_access_log,
    )
    serve(sandbox_config(args), options, reset=args.reset)
    return 0
