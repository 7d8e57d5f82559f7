"""What every partner-facing route shares: the operation decorators, the envelopes and the request log.

A route is a Flask view decorated twice::

    @bp.post("/api/v1/integration/payment/status")
    @operation("payments.status", actor="DP")
    def status(call: Call) -> Reply:
        return Reply(payments.status(call.ctx, dp=call.partner, **call.body))

:func:`operation` runs, in order: fault hooks, the body size limit (ERRPLT41301), the content type
(ERRPLT41501), the signature (ERRPLT401xx, ERRPLT40007), the partner's role (ERRPLT40301) and status
(ERRPLT40302), JSON syntax (ERRPLT40001/40002) and the contract schema (ERRPLT40003-40006); only then the view.
:func:`sso_operation` does the same for the SSO server with the ``X-`` headers and ``ERROAUTH`` codes.

A request accepted only through a lenient reading of the docs (a signature variant other than the documented
recipe, a form-encoded token request, a refresh on the Create Token path) is reported to
:mod:`prakerja_sandbox.leniency` once it is authenticated: answered with a warning header, or refused in
strict mode.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs
import flask
from werkzeug.datastructures import Headers

from prakerja_sandbox import leniency
from prakerja_sandbox.auth import VARIANT_WARNINGS, SignedRequest, authenticate, read_credentials
from prakerja_sandbox.context import DomainContext, OperationHook, Sandbox, current_sandbox
from prakerja_sandbox.domain.partners import Partner
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.redaction import mask_secrets
from prakerja_sandbox.validation import check_content_type, parse_json, read_body, validate_body

__all__ = [
    "Alternate",
    "Call",
    "Reply",
    "View",
    "log_request",
    "operation",
    "sso_operation",
]

Actor = Literal["DP", "LP"]

_LOG_BODY_LIMIT = 8192
_log = logging.getLogger("prakerja_sandbox")


@attrs.frozen
class Call:
    """An authenticated, validated call handed to a view."""

    sandbox: Sandbox
    ctx: DomainContext
    partner: Partner
    body: dict[str, Any]
    query: Mapping[str, str]
    headers: Headers
    signature_variant: str | None


@attrs.frozen
class Reply:
    """A successful answer: ``data`` (omitted when ``None``) and an optional message override."""

    data: Mapping[str, Any] | None = None
    message: str | None = None


View = Callable[[Call], "Reply | Mapping[str, Any] | None"]


def _begin(operation_id: str) -> Sandbox:
    sandbox = current_sandbox()
    flask.g.operation_id = operation_id
    return sandbox


def _busy_hooks(sandbox: Sandbox) -> list[OperationHook]:
    """The operation hooks with something to do (call inside the request's first read snapshot)."""
    return [hook for hook in sandbox.before_operation if not hook.idle(sandbox)]


def _run_hooks(sandbox: Sandbox, hooks: list[OperationHook], operation_id: str) -> flask.Response | None:
    for hook in hooks:
        response = hook.run(sandbox, operation_id)
        if response is not None:
            return response
    return None


@attrs.frozen
class _Parsed:
    """The body parsed once: the value, or the refusal its syntax earns (raised after authentication)."""

    value: Any = None
    error: ApiError | None = None

    def checked(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


def _parse_once(body: bytes) -> _Parsed:
    try:
        parsed = _Parsed(parse_json(body))
    except ApiError as error:
        parsed = _Parsed(error=error)
    flask.g.parsed_body = parsed.value
    return parsed


def _remember_partner(partner: Partner, variant: str | None, lenient: list[tuple[str, str | None]]) -> None:
    """Note who called; then report each lenient path the request took (a strict sandbox refuses here)."""
    flask.g.partner_code = partner.code
    flask.g.client_code = partner.client_code
    flask.g.signature_variant = variant
    warning = None if variant is None else VARIANT_WARNINGS.get(variant)
    if warning is not None:
        leniency.report(warning)
    for code, field in lenient:
        leniency.report(code, field=field)


@attrs.frozen
class Alternate:
    """A second operation served on a route when the body carries ``field`` (and not ``unless``).

    The docs' own curl sends some calls to another operation's URL (Refresh Token to Create Token's path);
    such a request is served as ``operation_id`` by ``view``, with the sandbox ``warning``.
    """

    field: str
    unless: str
    operation_id: str
    view: View
    warning: str

    def applies(self, parsed: Any) -> bool:
        return isinstance(parsed, dict) and self.field in parsed and self.unless not in parsed


def _reply(result: Reply | Mapping[str, Any] | None, default_message: str, *, sso: bool) -> flask.Response:
    reply = result if isinstance(result, Reply) else Reply(data=result)
    body: dict[str, Any] = {"success": True, "message": reply.message or default_message}
    if sso:
        body["errorCode"] = "0"
    if reply.data is not None:
        body["data"] = dict(reply.data)
    return flask.jsonify(body)


def operation(
    operation_id: str,
    *,
    actor: Actor,
    message: str = "OK",
    required_code: str = "ERRPLT40003",
) -> Callable[[View], Callable[..., flask.Response]]:
    """Make ``view`` the integration operation ``operation_id`` called by ``actor`` partners.

    ``message`` is the success message; ``required_code`` replaces ERRPLT40003 for a missing or empty
    required field (quota answers the documented ERRPLT40036).
    """

    def decorate(view: View) -> Callable[..., flask.Response]:
        @functools.wraps(view)
        def endpoint(**_: Any) -> flask.Response:
            sandbox = _begin(operation_id)
            request = flask.request
            credentials = read_credentials(request.headers, "integration")
            # One read snapshot for what the request needs first: whether a fault hook has work, the sandbox
            # time of the request (pinned from here on) and the calling partner.
            # partners, clock offset and whether a fault is set: one read of the store's revision, kept for the
            # request (see prakerja_sandbox.state_cache)
            with sandbox.store.read():
                state = sandbox.state.current()
                hooks = _busy_hooks(sandbox)
            sandbox.clock.adopt_offset(state.offset_seconds)
            caller = state.partner(credentials.client_code)
            faulted = _run_hooks(sandbox, hooks, operation_id) if hooks else None
            if faulted is not None:
                return faulted
            raw = read_body(sandbox.config.max_body_bytes)
            flask.g.raw_body = raw
            check_content_type(required=True)
            parsed = _parse_once(raw)
            signed = SignedRequest(
                method=request.method,
                path=request.script_root + request.path,  # a workspace's prefix is part of the path sent
                query=request.query_string.decode("latin-1"),
                body=raw,
                parsed=parsed.value,
                authorization=request.headers.get("Authorization"),
            )
            flask.g.client_code = request.headers.get("client_code")
            partner, variant = authenticate(
                signed,
                request.headers,
                convention="integration",
                find_partner=lambda _client_code: caller,
                now=sandbox.clock.real_now().timestamp(),
                tolerance=sandbox.config.timestamp_tolerance_seconds,
                host_url=lambda: flask.request.host_url,
                credentials=credentials,
            )
            _remember_partner(partner, variant, [])
            if partner.kind != actor:
                raise ApiError(
                    "ERRPLT40301",
                    detail=f"{operation_id} is for {actor} partners; {partner.client_code} is {partner.kind}",
                )
            if not partner.active:
                raise ApiError("ERRPLT40302", detail=f"{partner.client_code} is {partner.status}")
            body = validate_body(sandbox, operation_id, parsed.checked(), required_code=required_code)
            call = Call(
                sandbox=sandbox,
                ctx=sandbox.domain(),
                partner=partner,
                body=body,
                query=request.args.to_dict(flat=True),
                headers=request.headers,
                signature_variant=variant,
            )
            return _reply(view(call), message, sso=False)

        return endpoint

    return decorate


def _sso_client(sandbox: Sandbox) -> Callable[[str], Partner | None]:
    def find_client(client_id: str) -> Partner | None:
        partner = sandbox.state.current().partner(client_id)
        if partner is None or not partner.is_lp or partner.sso_client_name is None or not partner.active:
            return None
        return partner

    return find_client


def _parameter(sandbox: Sandbox, parameter: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = parameter.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return parameter
    target: Any = sandbox.contract.openapi
    for part in ref[2:].split("/"):
        target = target[part]
    return _parameter(sandbox, target)


def _required_query(sandbox: Sandbox, operation_id: str) -> list[str]:
    spec = sandbox.contract.operation(operation_id).spec
    parameters = [_parameter(sandbox, parameter) for parameter in spec.get("parameters", [])]
    return [
        str(parameter["name"])
        for parameter in parameters
        if parameter.get("in") == "query" and parameter.get("required")
    ]


def _sso_body(raw: bytes, *, form_allowed: bool, lenient: list[tuple[str, str | None]]) -> _Parsed:
    """The parsed body of an SSO call; a form-encoded one (where the docs' curl sends one) is noted lenient."""
    if form_allowed and leniency.is_form():
        try:
            parsed = _Parsed(leniency.read_form(raw))
        except ApiError as error:
            parsed = _Parsed(error=error)
        flask.g.parsed_body = parsed.value
        lenient.append(("SBXW004", None))
        return parsed
    check_content_type(required=False)
    return _parse_once(raw)


def sso_operation(
    operation_id: str,
    *,
    signature_required: bool,
    form_body: bool = False,
    alternate: Alternate | None = None,
) -> Callable[[View], Callable[..., flask.Response]]:
    """Make ``view`` the SSO operation ``operation_id``.

    The client is the LP whose client code is ``X-Client-Id`` (ERROAUTH4024 missing, ERROAUTH4029 unknown, not
    an SSO client or not validated). ``X-Signature`` is verified when present and required when
    ``signature_required`` (ERROAUTH4036; timestamp ERROAUTH4037). Required query parameters and body fields
    that are missing answer ERROAUTH4038; other body faults use the general ERRPLT400xx codes. A GET gets
    ``call.body == {}``. ``form_body``: a form-encoded body is read too (warning SBXW004); ``alternate``: a
    second operation the route also serves (see :class:`Alternate`).
    """

    def decorate(view: View) -> Callable[..., flask.Response]:
        @functools.wraps(view)
        def endpoint(**_: Any) -> flask.Response:
            sandbox = _begin(operation_id)
            with sandbox.store.read():
                hooks = _busy_hooks(sandbox)
            faulted = _run_hooks(sandbox, hooks, operation_id) if hooks else None
            if faulted is not None:
                return faulted
            request = flask.request
            has_body = request.method not in {"GET", "HEAD"}
            raw = read_body(sandbox.config.max_body_bytes) if has_body else b""
            flask.g.raw_body = raw
            lenient: list[tuple[str, str | None]] = []
            parsed = _sso_body(raw, form_allowed=form_body, lenient=lenient) if has_body else _Parsed()
            served_id, served_view = operation_id, view
            if alternate is not None and alternate.applies(parsed.value):
                served_id, served_view = alternate.operation_id, alternate.view
                flask.g.operation_id = served_id
                lenient.append((alternate.warning, alternate.field))
            signed = SignedRequest(
                method=request.method,
                path=request.script_root + request.path,  # a workspace's prefix is part of the path sent
                query=request.query_string.decode("latin-1"),
                body=raw,
                parsed=parsed.value,
            )
            flask.g.client_code = request.headers.get("X-Client-Id")
            partner, variant = authenticate(
                signed,
                request.headers,
                convention="sso",
                find_partner=_sso_client(sandbox),
                now=sandbox.clock.real_now().timestamp(),
                tolerance=sandbox.config.timestamp_tolerance_seconds,
                signature_required=signature_required,
                host_url=lambda: flask.request.host_url,
            )
            _remember_partner(partner, variant, lenient)
            query = request.args.to_dict(flat=True)
            for name in _required_query(sandbox, served_id):
                if not query.get(name, "").strip():
                    raise ApiError("ERROAUTH4038", field=name, detail=f"query parameter {name} is required")
            body: dict[str, Any] = {}
            if has_body:
                body = validate_body(sandbox, served_id, parsed.checked(), required_code="ERROAUTH4038")
            call = Call(
                sandbox=sandbox,
                ctx=sandbox.domain(),
                partner=partner,
                body=body,
                query=query,
                headers=request.headers,
                signature_variant=variant,
            )
            return _reply(served_view(call), "no error", sso=True)

        return endpoint

    return decorate


def _redacted_body(raw: bytes | None) -> str | None:
    """The body as received, secrets masked (:func:`~prakerja_sandbox.redaction.mask_secrets`), well-formed or not."""
    if not raw:
        return None
    return mask_secrets(raw.decode("utf-8", "replace"))[:_LOG_BODY_LIMIT]


_SECRET_HEADERS = {"authorization", "x-sandbox-token", "cookie"}


def _redacted_headers(headers: Headers) -> str:
    shown = {
        name: (value[:14] + "..." if name.lower() in _SECRET_HEADERS and len(value) > 14 else value)
        for name, value in headers.items()
    }
    return json.dumps(shown, ensure_ascii=False)


def log_request(response: flask.Response) -> flask.Response:
    """Record a partner-facing request (not ``/_sandbox`` or static files) in ``request_log``.

    A failure to log is itself logged and never changes the answer.
    """
    request = flask.request
    if request.path.startswith("/_sandbox") or request.path.startswith("/static"):
        return response
    try:
        _write_log(response)
    except Exception:
        _log.exception("could not record %s %s in the request log", request.method, request.path)
    return response


def _write_log(response: flask.Response) -> None:
    request = flask.request
    sandbox = current_sandbox()
    g = flask.g
    started = g.get("started")
    duration = None if started is None else (time.perf_counter() - started) * 1000
    debug = None
    response_text: str | None = None
    if response.mimetype == "application/json" and not response.direct_passthrough:
        response_text = response.get_data(as_text=True)[:_LOG_BODY_LIMIT]
        if response.status_code >= 400:  # only refusals carry a debug block
            try:
                debug_block = json.loads(response_text).get("debug")
            except (ValueError, AttributeError):
                debug_block = None
            debug = None if debug_block is None else json.dumps(debug_block, ensure_ascii=False)
    sandbox.request_log.record(
        tuple(
            _storable(value)
            for value in (
                sandbox.clock.now_text(),
                request.method,
                request.path,
                request.query_string.decode("latin-1"),
                g.get("operation_id"),
                g.get("client_code"),
                g.get("partner_code"),
                response.status_code,
                g.get("error_code"),
                g.get("signature_variant"),
                _redacted_headers(request.headers),
                _redacted_body(g.get("raw_body")),
                None if response_text is None else mask_secrets(response_text),
                None if debug is None else mask_secrets(debug),
                duration,
                _warnings_json(),
                g.get("request_id"),
            )
        )
    )


def _storable(value: Any) -> Any:
    """``value`` with U+0000 written as the text ``\\u0000``: PostgreSQL's text type cannot hold the character,
    and one unwritable row would hold back the rows queued with it."""
    return value.replace("\x00", "\\u0000") if isinstance(value, str) else value


def _warnings_json() -> str | None:
    found = leniency.request_warnings()
    if not found:
        return None
    return json.dumps([{"code": w.code, "text": w.text} for w in found], ensure_ascii=False)
