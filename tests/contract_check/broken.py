"""Deliberately broken Prakerja servers: the real sandbox wrapped in WSGI middleware that breaks one rule each.

The contract checks must catch every one of them; ``test_broken_servers.py`` asserts they do, with a message
that names the broken rule.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from prakerja.contract import Contract
from prakerja.signing import sign

__all__ = [
    "commit_without_attendance",
    "crash_on_malformed_json",
    "error_code_not_in_catalogue",
    "error_code_with_wrong_status",
    "negative_quota",
    "no_consent_page",
    "quota_as_string",
    "signature_ignores_the_body",
    "sso_code_works_twice",
    "status_without_transaction_code",
    "token_without_access_token",
    "void_never_shows",
]

Mutate = Callable[[dict[str, Any]], None]


def _rewrite_json(
    app: WSGIApplication,
    path: str,
    mutate: Mutate,
    *,
    status: str | None = None,
    when: Callable[[dict[str, Any]], bool] = lambda _payload: True,
) -> WSGIApplication:
    """Answers of ``path`` pass through ``mutate`` (their JSON body); those matching ``when`` get ``status``."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != path:
            return app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(
            line: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            captured["status"], captured["headers"] = line, headers
            return lambda _data: None

        body = b"".join(app(environ, capture))
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        line = captured["status"]
        if isinstance(payload, dict) and when(payload):
            mutate(payload)
            body = json.dumps(payload).encode()
            line = status or line
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(line, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    return wrapped


def _data(mutate: Callable[[dict[str, Any]], None]) -> Mutate:
    def apply(payload: dict[str, Any]) -> None:
        if isinstance(payload.get("data"), dict):
            mutate(payload["data"])

    return apply


def quota_as_string(app: WSGIApplication) -> WSGIApplication:
    """Cek Kuota answers ``"quota": "50"``: a wrong field type."""
    return _rewrite_json(
        app, "/api/v1/integration/payment/quota-schedule", _data(lambda d: d.update(quota=str(d["quota"])))
    )


def status_without_transaction_code(app: WSGIApplication) -> WSGIApplication:
    """Payment Status leaves out ``transaction_code``: a missing required field."""
    return _rewrite_json(
        app, "/api/v1/integration/payment/status", _data(lambda d: d.pop("transaction_code", None))
    )


def negative_quota(app: WSGIApplication) -> WSGIApplication:
    """Cek Kuota counts sold seats twice, so the quota goes below zero."""
    return _rewrite_json(
        app,
        "/api/v1/integration/payment/quota-schedule",
        _data(lambda d: d.update(quota=d["quota"] - 1_000_000)),
    )


def void_never_shows(app: WSGIApplication) -> WSGIApplication:
    """Payment Status keeps saying SUCCESS after a Void."""

    def keep_success(data: dict[str, Any]) -> None:
        if data.get("status") == "VOID":
            data["status"] = "SUCCESS"

    return _rewrite_json(app, "/api/v1/integration/payment/status", _data(keep_success))


def error_code_not_in_catalogue(app: WSGIApplication) -> WSGIApplication:
    """Cek Kuota invents a code for an unknown course."""

    def invent(payload: dict[str, Any]) -> None:
        if payload.get("code") == "ERRPLT40018":
            payload["code"] = "ERRPLT40099"

    return _rewrite_json(app, "/api/v1/integration/payment/quota-schedule", invent)


def error_code_with_wrong_status(app: WSGIApplication) -> WSGIApplication:
    """Payment Status answers a bad signature (ERRPLT40104: 401 in the catalogue, or 400 as documented) with 403."""
    return _rewrite_json(
        app,
        "/api/v1/integration/payment/status",
        lambda _payload: None,
        status="403 FORBIDDEN",
        when=lambda payload: payload.get("code") == "ERRPLT40104",
    )


def crash_on_malformed_json(app: WSGIApplication) -> WSGIApplication:
    """A server that parses the body itself and crashes (an HTML 500) when it is not JSON."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            json.loads(raw or b"{}")
        except ValueError:
            page = b"<html><body><h1>Internal Server Error</h1></body></html>"
            start_response(
                "500 INTERNAL SERVER ERROR",
                [("Content-Type", "text/html"), ("Content-Length", str(len(page)))],
            )
            return [page]
        environ["wsgi.input"] = io.BytesIO(raw)
        return app(environ, start_response)

    return wrapped


def signature_ignores_the_body(app: WSGIApplication, contract: Contract) -> WSGIApplication:
    """A signature check that only looks at the client code: any changed byte still passes.

    Built by re-signing every request with the partner's real key over the body as received, so the
    sandbox behind it accepts whatever arrives.
    """
    partners = contract.partners
    keys = {
        p["client_code"]: p["sign_key"]
        for p in [*partners["digital_platforms"], *partners["training_institutions"]]
    }

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        client = environ.get("HTTP_CLIENT_CODE")
        stamp = environ.get("HTTP_TIMESTAMP")
        if isinstance(client, str) and client in keys and stamp and environ.get("HTTP_SIGNATURE"):
            environ["HTTP_SIGNATURE"] = sign(
                sign_key=keys[client],
                client_code=client,
                timestamp=stamp,
                method=environ["REQUEST_METHOD"],
                path=environ["PATH_INFO"],
                body=raw,
            )
        return app(environ, start_response)

    return wrapped


def token_without_access_token(app: WSGIApplication) -> WSGIApplication:
    """Create Token answers its success without ``access_token``: a missing required field."""
    return _rewrite_json(app, "/api/v1/oauth/token", _data(lambda d: d.pop("access_token", None)))


def commit_without_attendance(app: WSGIApplication) -> WSGIApplication:
    """The legacy commit answers ``attendance_status`` 0 although it just verified sequence 1."""
    return _rewrite_json(
        app, "/api/v1/integration/payment/redeem-code/commit", _data(lambda d: d.update(attendance_status=0))
    )


def sso_code_works_twice(app: WSGIApplication) -> WSGIApplication:
    """Create Token keeps its answer per code and gives it again: a code can be exchanged twice."""
    answered: dict[bytes, tuple[str, list[tuple[str, str]], bytes]] = {}

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != "/api/v1/oauth/token":
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        if raw in answered:
            line, headers, body = answered[raw]
            start_response(line, headers)
            return [body]
        captured: dict[str, Any] = {}

        def capture(
            line: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            captured["line"], captured["headers"] = line, headers
            return lambda _data: None

        body = b"".join(app(environ, capture))
        if captured["line"].startswith("200"):
            answered[raw] = (captured["line"], captured["headers"], body)
        start_response(captured["line"], captured["headers"])
        return [body]

    return wrapped


def no_consent_page(app: WSGIApplication) -> WSGIApplication:
    """A server without a consent page a client can sign in on (Prakerja's own needs a person)."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/consent-sso":
            page = b"<html><body>Not Found</body></html>"
            start_response(
                "404 NOT FOUND", [("Content-Type", "text/html"), ("Content-Length", str(len(page)))]
            )
            return [page]
        return app(environ, start_response)

    return wrapped
