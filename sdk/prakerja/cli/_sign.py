"""``prakerja sign``: the raw string, signature and headers of one request."""

from __future__ import annotations

import json
from typing import Any

import click

from prakerja.cli._common import (
    ENV_CLIENT_CODE,
    ENV_SIGN_KEY,
    check_timestamp,
    complete_operation,
    contract,
    credential_options,
    find_operation,
    read_data,
    require,
    timestamp_now,
)
from prakerja.cli._diagnose import RequestParts, diagnose
from prakerja.signing import INTEGRATION_HEADERS, SSO_HEADERS, compact_json, raw_string, sign

EXAMPLES = """
\b
Examples:
  # the known-answer vector of the signing page
  prakerja sign --client-code CLIENT --sign-key KEY --timestamp 1698289216 \\
      --path /api/v1/integration/payment/redeem-code/status \\
      --data '{"redeem_code":"GHOPNYXUVMT0"}'
\b
  # path and headers from the operation, credentials from the environment
  export PRAKERJA_CLIENT_CODE=SBX-LP-CIPTAKREASI PRAKERJA_SIGN_KEY=...
  prakerja sign --operation attendance.status --data @body.json
\b
  # which mistake produced the signature my code computed?
  prakerja sign ... --expect 46eba08a503598735ebb09c36cdb0a0fc7142bc6
"""


def _body_note(body: bytes) -> str | None:
    try:
        parsed: Any = json.loads(body) if body.strip() else None
    except ValueError:
        return "the body is not valid JSON: Prakerja will refuse it with ERRPLT40001"
    if isinstance(parsed, dict) and compact_json(parsed) != body:
        return (
            "the body is not compact JSON. That is fine only if you send exactly these bytes; "
            f"the SDK sends and signs {compact_json(parsed).decode('utf-8')}"
        )
    return None


@click.command(epilog=EXAMPLES)
@credential_options
@click.option("--path", metavar="PATH", help="The request path (no host), with '?query' for a GET.")
@click.option(
    "--operation",
    "operation_id",
    metavar="OPERATION",
    shell_complete=complete_operation,
    help="Take path, method and header names from this operation, e.g. payments.status.",
)
@click.option(
    "--method", default=None, metavar="METHOD", help="HTTP method [default: POST, or the operation's]."
)
@click.option(
    "--data", "data", metavar="BODY", help="The body exactly as sent: JSON text, @file.json, or @- for stdin."
)
@click.option("--timestamp", metavar="SECONDS", help="Unix seconds [default: now].")
@click.option(
    "--convention",
    type=click.Choice(["integration", "sso"]),
    default=None,
    help="Header names: client_code/signature/timestamp or X-Client-Id/X-Signature/X-Timestamp.",
)
@click.option(
    "--authorization",
    default="",
    metavar="VALUE",
    help="Put this value between path and body (the Go sample's extra slot; empty in the documented recipe).",
)
@click.option(
    "--expect",
    metavar="SIGNATURE",
    help="The signature your own code computed: say whether it matches and which mistake explains it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def sign_command(
    client_code: str | None,
    sign_key: str | None,
    path: str | None,
    operation_id: str | None,
    method: str | None,
    data: str | None,
    timestamp: str | None,
    convention: str | None,
    authorization: str,
    expect: str | None,
    as_json: bool,
) -> None:
    """Print the raw string, the signature and the headers of a request.

    Compare them with what your own code computes: the raw string is
    client_code + timestamp + METHOD + path + body, signed with HMAC-SHA1.
    """
    code = require(client_code, flag="--client-code", envvar=ENV_CLIENT_CODE, what="client code")
    key = require(sign_key, flag="--sign-key", envvar=ENV_SIGN_KEY, what="sign key")
    if operation_id is not None:
        operation = find_operation(contract(), operation_id)
        path = path or operation.path
        method = method or operation.method
        if convention is None:
            convention = "sso" if operation.signing == "sso" else "integration"
    if path is None:
        raise click.UsageError("give the request path with --path PATH or --operation OPERATION")
    if not path.startswith("/"):
        raise click.BadParameter(
            f"{path!r} must be the path only, starting with '/' (no scheme or host)", param_hint="--path"
        )
    method = (method or "POST").upper()
    stamp = check_timestamp(timestamp) if timestamp is not None else timestamp_now()
    body = read_data(data)
    headers = SSO_HEADERS if convention == "sso" else INTEGRATION_HEADERS
    raw = raw_string(
        client_code=code, timestamp=stamp, method=method, path=path, body=body, authorization=authorization
    )
    signature = sign(
        sign_key=key,
        client_code=code,
        timestamp=stamp,
        method=method,
        path=path,
        body=body,
        authorization=authorization,
    )
    header_values = {headers.client: code, headers.signature: signature, headers.timestamp: stamp}
    parts = RequestParts(
        client_code=code,
        sign_key=key,
        timestamp=stamp,
        method=method,
        path=path,
        body=body,
        authorization=authorization,
    )
    findings = diagnose(parts, expect) if expect is not None else []
    note = _body_note(body)
    if as_json:
        result: dict[str, Any] = {
            "raw": raw.decode("utf-8", "replace"),
            "signature": signature,
            "headers": header_values,
        }
        if expect is not None:
            result["expected"] = expect
            result["matches"] = expect.strip() == signature
            result["findings"] = [{"mistake": f.mistake, "fix": f.fix} for f in findings]
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(f"raw string: {raw.decode('utf-8', 'replace')}")
        click.echo(f"signature:  {signature}")
        click.echo("headers:")
        for name, value in header_values.items():
            click.echo(f"  {name}: {value}")
        if note:
            click.echo(f"note: {note}", err=True)
        if expect is not None:
            _report_expectation(expect, signature, findings)
    if expect is not None and expect.strip() != signature:
        raise SystemExit(1)


def _report_expectation(expect: str, signature: str, findings: list[Any]) -> None:
    if expect.strip() == signature:
        click.echo(f"expected:   {expect.strip()}  matches")
        return
    click.echo(f"expected:   {expect.strip()}  DOES NOT MATCH")
    if not findings:
        click.echo(
            "no common mistake reproduces it: check the sign key, the client code and that the body and "
            "timestamp given here are exactly the ones your code signed"
        )
        return
    for finding in findings:
        click.echo(f"likely cause: {finding.mistake}")
        click.echo(f"  you signed: {finding.raw.decode('utf-8', 'replace')}")
        if finding.fix:
            click.echo(f"  fix: {finding.fix}")
