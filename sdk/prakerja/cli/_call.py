"""``prakerja call``: send one signed request and show the answer."""

from __future__ import annotations

import json
import shlex
from typing import Any
from urllib.parse import quote, urlencode

import click
import httpx

from prakerja.cli._common import (
    ENV_BASE_URL,
    ENV_CLIENT_CODE,
    ENV_SIGN_KEY,
    SANDBOX_URL,
    check_timestamp,
    complete_operation,
    contract,
    credential_options,
    find_operation,
    parse_json_object,
    read_data,
    require,
    timestamp_now,
)
from prakerja.cli._explain import render_entry
from prakerja.contract import Operation
from prakerja.signing import INTEGRATION_HEADERS, SSO_HEADERS, compact_json, raw_string, sign

EXAMPLES = """
\b
Examples (against the local sandbox, `prakerja-sandbox` running):
  export PRAKERJA_CLIENT_CODE=SBX-LP-CIPTAKREASI
  export PRAKERJA_SIGN_KEY=951fdf8a443d4f9ecba39c166cfdd6fec14c39e8
  prakerja call attendance.status --data '{"redeem_code":"PRAT-TC1001","sequence":1}'
  prakerja call /api/v1/integration/payment/redeem-code/reset --data @reset.json
  prakerja call attendance.status --data '{"redeem_code":"PRAT-TC1001"}' --dry-run
\b
  # payments.authorize needs the payment token of send-otp
  prakerja call payments.authorize --payment-token TOKEN --data @authorize.json
\b
  # a GET sends --data as the query string
  prakerja call sso.login_url --data '{"state":"s1","scope":"name email",
      "redirect_uri":"http://127.0.0.1:8000/prakerja/sso/callback","login_uri":"http://127.0.0.1:8000/login"}'
"""


def _query(params: dict[str, Any]) -> str:
    return urlencode(
        {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}, quote_via=quote
    )


def build_request(
    operation: Operation,
    *,
    base_url: str,
    client_code: str | None,
    sign_key: str | None,
    payload: dict[str, Any],
    timestamp: str,
    extra_headers: dict[str, str],
) -> tuple[httpx.Request, bytes | None]:
    """The signed request for ``operation`` and the raw string that was signed (``None`` if unsigned)."""
    path = operation.path
    body = b""
    headers: dict[str, str] = {"Accept": "application/json"}
    if operation.method == "GET":
        if operation.operation_id == "sso.login_url" and client_code and "client_id" not in payload:
            payload = {**payload, "client_id": client_code}
        if payload:
            path = f"{path}?{_query(payload)}"
    else:
        body = compact_json(payload)
        headers["Content-Type"] = "application/json"
    headers.update(extra_headers)
    raw: bytes | None = None
    if operation.signing in ("integration", "sso"):
        code = require(client_code, flag="--client-code", envvar=ENV_CLIENT_CODE, what="client code")
        key = require(sign_key, flag="--sign-key", envvar=ENV_SIGN_KEY, what="sign key")
        names = SSO_HEADERS if operation.signing == "sso" else INTEGRATION_HEADERS
        raw = raw_string(client_code=code, timestamp=timestamp, method=operation.method, path=path, body=body)
        signature = sign(
            sign_key=key, client_code=code, timestamp=timestamp, method=operation.method, path=path, body=body
        )
        headers.update({names.client: code, names.signature: signature, names.timestamp: timestamp})
    request = httpx.Request(
        operation.method, base_url.rstrip("/") + path, headers=headers, content=body or None
    )
    return request, raw


def curl_line(request: httpx.Request) -> str:
    """The request as a curl command line."""
    parts = ["curl", "-sS", "-X", request.method, shlex.quote(str(request.url))]
    for name, value in request.headers.items():
        if name.lower() in {"host", "content-length", "accept-encoding", "connection", "user-agent"}:
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if request.content:
        parts += ["--data-raw", shlex.quote(request.content.decode("utf-8"))]
    return " ".join(parts)


def _parse_headers(values: tuple[str, ...]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for value in values:
        name, sep, rest = value.partition(":")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not 'Name: value'", param_hint="--header")
        headers[name.strip()] = rest.strip()
    return headers


def _show_response(response: httpx.Response) -> int:
    # The standard phrase, not the server's: servers spell it differently ("BAD REQUEST", "Bad Request").
    click.echo(f"HTTP {response.status_code} {httpx.codes.get_reason_phrase(response.status_code)}")
    try:
        document: Any = response.json()
    except ValueError:
        click.echo(response.text)
        return 0 if response.is_success else 1
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    code = document.get("code") if isinstance(document, dict) else None
    if isinstance(code, str) and code in contract().errors:
        click.echo("")
        click.echo(render_entry(contract().errors[code]))
    return 0 if response.is_success else 1


@click.command(epilog=EXAMPLES)
@click.argument("operation_name", metavar="OPERATION", shell_complete=complete_operation)
@credential_options
@click.option(
    "--base-url",
    envvar=ENV_BASE_URL,
    show_envvar=True,
    default=SANDBOX_URL,
    show_default=True,
    help="Where to send the request (the sandbox, or a Prakerja host).",
)
@click.option("--data", metavar="JSON", help="The body as a JSON object, @file.json, or @- for stdin.")
@click.option(
    "--payment-token", metavar="TOKEN", help="payments.authorize: sends 'Authorization: Payment TOKEN'."
)
@click.option("--access-token", metavar="TOKEN", help="sso.profile: sends 'Authorization: TOKEN'.")
@click.option(
    "-H", "--header", "header_values", multiple=True, metavar="'NAME: VALUE'", help="An extra header."
)
@click.option("--timestamp", metavar="SECONDS", help="Unix seconds [default: now].")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for the answer.")
@click.option("--dry-run", is_flag=True, help="Print the raw string and a curl line; send nothing.")
def call_command(
    operation_name: str,
    client_code: str | None,
    sign_key: str | None,
    base_url: str,
    data: str | None,
    payment_token: str | None,
    access_token: str | None,
    header_values: tuple[str, ...],
    timestamp: str | None,
    timeout: float,
    dry_run: bool,
) -> None:
    """Send a signed request for OPERATION and pretty-print the answer.

    OPERATION is an operationId (attendance.status) or a path. The body is sent
    as compact JSON and the signature covers exactly those bytes. Exits 1 when
    Prakerja refuses the request, explaining the error code.
    """
    operation = find_operation(contract(), operation_name)
    payload = parse_json_object(read_data(data))
    extra = _parse_headers(header_values)
    if payment_token:
        extra["Authorization"] = f"Payment {payment_token}"
    if access_token:
        extra["Authorization"] = access_token
    if operation.operation_id == "payments.authorize" and "Authorization" not in extra:
        raise click.UsageError(
            "payments.authorize needs --payment-token (the payment_token of payments.send_otp)"
        )
    stamp = check_timestamp(timestamp) if timestamp is not None else timestamp_now()
    request, raw = build_request(
        operation,
        base_url=base_url,
        client_code=client_code,
        sign_key=sign_key,
        payload=payload,
        timestamp=stamp,
        extra_headers=extra,
    )
    if dry_run:
        if raw is not None:
            click.echo(f"raw string: {raw.decode('utf-8', 'replace')}")
        click.echo(curl_line(request))
        return
    try:
        # Tests hand the sandbox in as a transport through the context object: `cli.main(obj={...})`.
        obj = click.get_current_context().obj
        transport = obj.get("transport") if isinstance(obj, dict) else None
        with httpx.Client(timeout=timeout, transport=transport) as client:
            response = client.send(request)
    except httpx.ConnectError as exc:
        hint = " Is the sandbox running? Start it with `prakerja-sandbox`." if "127.0.0.1" in base_url else ""
        raise click.ClickException(f"cannot connect to {base_url}: {exc}.{hint}") from exc
    except httpx.TimeoutException as exc:
        raise click.ClickException(f"no answer from {base_url} within {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise click.ClickException(f"request failed: {exc}") from exc
    raise SystemExit(_show_response(response))
