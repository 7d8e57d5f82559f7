"""The ``proxy`` and ``observations`` commands of ``prakerja-contract``.

::

    prakerja-contract proxy --upstream https://api-ssn.prakerja.go.id --listen 127.0.0.1:8080 \\
        --observations observations.jsonl
    prakerja-contract proxy --environment production --observations observations.jsonl
    prakerja-contract proxy --upstream integration=https://api-ssn.prakerja.go.id \\
        --upstream sso=https://sso.staging.example --ca-bundle corporate-ca.pem --observations observations.jsonl
    prakerja-contract observations observations.jsonl --markdown observations.md
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from prakerja.contract_check.observations import Observation, read_observations
from prakerja.contract_check.observations_report import summarise
from prakerja.contract_check.proxy import ContractProxy
from prakerja.contract_check.proxy_upstreams import SERVERS, parse_upstream_options
from prakerja.environments import PRESETS

__all__ = ["add_commands", "run"]


def _address(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT such as 127.0.0.1:8080, got {value!r}")
    return host or "127.0.0.1", int(port)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``proxy`` and ``observations`` to the ``prakerja-contract`` parser."""
    proxy = commands.add_parser(
        "proxy",
        help="forward requests to a server unchanged and record how its answers differ from the contract",
        description=(
            "Forward every request byte for byte to its upstream (the signature stays valid; the proxy never "
            "signs) and append one redacted line per exchange to --observations: the operation, status, "
            "error code, how the answer differs from the contract, and the bodies' shapes without values. "
            "Each request goes to the upstream of the server (integration, sso, oauth) its operation is on; "
            "a path the contract does not know goes to the integration upstream."
        ),
    )
    proxy.add_argument(
        "--upstream",
        action="append",
        default=[],
        metavar="[SERVER=]URL",
        help=(
            "a URL for every server (e.g. https://api-ssn.prakerja.go.id), or SERVER=URL for one of "
            f"{', '.join(SERVERS)} (repeat it); servers not named go to the integration URL"
        ),
    )
    proxy.add_argument(
        "--environment",
        choices=tuple(PRESETS),
        help="every server's host from the SDK's environment of that name (SERVER=URL replaces one)",
    )
    trust = proxy.add_mutually_exclusive_group()
    trust.add_argument(
        "--ca-bundle",
        type=Path,
        metavar="PATH",
        help="verify HTTPS upstreams against the CA certificates in this PEM file instead of the default ones",
    )
    trust.add_argument(
        "--insecure",
        action="store_true",
        help="do not verify HTTPS upstreams' certificates (a warning is printed and every observation marked)",
    )
    proxy.add_argument(
        "--listen",
        type=_address,
        default=("127.0.0.1", 8080),
        metavar="HOST:PORT",
        help="where your code sends its requests (default 127.0.0.1:8080)",
    )
    proxy.add_argument("--observations", type=Path, required=True, help="the JSON Lines file to append to")
    proxy.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the upstream (60)")
    proxy.add_argument("--quiet", action="store_true", help="no line per exchange on the terminal")
    report = commands.add_parser(
        "observations",
        help="summarise an observations file: each finding, its count, and the contract change it suggests",
    )
    report.add_argument("file", type=Path, help="the observations file written by `prakerja-contract proxy`")
    report.add_argument("--markdown", type=Path, help="also write the report as Markdown to this file")


def _progress(observation: Observation) -> None:
    kinds = sorted({finding.kind for finding in observation.findings})
    code = f" {observation.code}" if observation.code else ""
    status = observation.status if observation.status is not None else "no answer"
    drift = f"  {len(observation.findings)} finding(s): {', '.join(kinds)}" if kinds else ""
    print(
        f"{observation.method} {observation.operation or observation.path} -> {status}{code}{drift}",
        flush=True,
    )


def _serve(args: argparse.Namespace) -> int:
    try:
        proxy = ContractProxy(
            parse_upstream_options(args.environment, args.upstream),
            observations=args.observations,
            listen=args.listen,
            timeout=args.timeout,
            on_observation=None if args.quiet else _progress,
            ca_bundle=args.ca_bundle,
            insecure=args.insecure,
        )
    except (ValueError, OSError) as exc:
        print(f"prakerja-contract proxy: {exc}", file=sys.stderr)
        return 2

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Ctrl-C, and a stop from a service manager or a script (a shell starts `cmd &` with SIGINT ignored).
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(
        f"prakerja-contract proxy: {proxy.url} -> {proxy.routes.describe()}; "
        f"observations in {args.observations}",
        flush=True,
    )
    if not proxy.routes.single:
        print(
            "prakerja-contract proxy: send every server's calls here, e.g. "
            f'PrakerjaClient(base_url="{proxy.url}", ...) (one URL for the integration, SSO and '
            "consent hosts); the proxy sends each to its own upstream",
            flush=True,
        )
    if args.insecure:
        print(
            "prakerja-contract proxy: WARNING: --insecure: the upstreams' TLS certificates are NOT verified. "
            "Anyone on the network path can read and change this traffic, and the answers recorded may not "
            'come from Prakerja; every observation is marked "tls": "unverified". Never use it against '
            "production.",
            file=sys.stderr,
            flush=True,
        )
    try:
        proxy.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        proxy.close()  # waits for the exchanges in flight to be recorded
        recorded = proxy.writer.count if proxy.writer is not None else 0
        print(f"prakerja-contract proxy: stopped; {recorded} exchange(s) recorded", flush=True)
    return 0


def _report(args: argparse.Namespace) -> int:
    try:
        summary = summarise(read_observations(args.file))
    except (OSError, ValueError) as exc:
        print(f"prakerja-contract observations: {exc}", file=sys.stderr)
        return 2
    print(summary.to_text(), end="")
    if args.markdown is not None:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(summary.to_markdown(), encoding="utf-8")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``proxy`` or ``observations``; returns the exit status."""
    return _serve(args) if args.command == "proxy" else _report(args)
