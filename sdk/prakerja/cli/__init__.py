"""The ``prakerja`` command: sign, send and explain Prakerja requests from any language's point of view.

Credentials come from ``--client-code``/``--sign-key`` or the ``PRAKERJA_CLIENT_CODE`` and
``PRAKERJA_SIGN_KEY`` environment variables; the base URL from ``--base-url`` or ``PRAKERJA_BASE_URL``
(default: the local sandbox, http://127.0.0.1:5000).
"""

from __future__ import annotations

from prakerja._extras import require_extra

require_extra("cli", "The prakerja command")

import click

from prakerja import __version__
from prakerja.cli._call import call_command
from prakerja.cli._common import contract
from prakerja.cli._explain import explain_command
from prakerja.cli._sign import sign_command

__all__ = ["cli", "main"]

EPILOG = """
\b
Environment variables:
  PRAKERJA_CLIENT_CODE  client code (instead of --client-code)
  PRAKERJA_SIGN_KEY     sign key (instead of --sign-key)
  PRAKERJA_BASE_URL     base URL of `call` (default http://127.0.0.1:5000, the sandbox)
\b
Examples:
  prakerja sign --client-code CLIENT --sign-key KEY --timestamp 1698289216 \\
      --path /api/v1/integration/payment/redeem-code/status --data '{"redeem_code":"GHOPNYXUVMT0"}'
  prakerja call attendance.status --data '{"redeem_code":"PRAT-TC1001","sequence":1}'
  prakerja explain ERRPLT40013
\b
Shell completion (bash): eval "$(_PRAKERJA_COMPLETE=bash_source prakerja)"
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="prakerja")
def cli() -> None:
    """Sign, send and explain Kartu Prakerja partner API requests."""


@cli.command("operations")
def operations_command() -> None:
    """List the operations of the contract (the OPERATION names of `prakerja call`)."""
    for operation in sorted(contract().operations.values(), key=lambda op: op.operation_id):
        actor = operation.spec.get("x-actor", "")
        click.echo(
            f"{operation.operation_id:<28} {operation.method:<5} {operation.path:<52} {operation.signing:<12} {actor}"
        )


cli.add_command(sign_command, "sign")
cli.add_command(call_command, "call")
cli.add_command(explain_command, "explain")


def main() -> None:
    """Run the ``prakerja`` command."""
    cli(prog_name="prakerja")
