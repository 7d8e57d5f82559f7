"""The sync and async clients: thin shells that send, sleep and retry; everything else is in the core."""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import attrs
import httpx

from prakerja._config import DEFAULT_RETRY, DEFAULT_TIMEOUT, NOT_GIVEN, ClientSettings, NotGiven
from prakerja._core import DEFAULT_HEADERS, Call, CallContext, parse_response, request_parts, transport_error
from prakerja._exceptions import ConfigurationError, PrakerjaError
from prakerja._logging import personal_data_logged
from prakerja._raw import RawResponse
from prakerja._retry import RetryPolicy
from prakerja.environments import Environment

if TYPE_CHECKING:
    from prakerja.resources import (
        AsyncAttendance,
        AsyncPayments,
        AsyncSso,
        AsyncTpm,
        Attendance,
        Payments,
        Sso,
        Tpm,
    )

__all__ = ["AsyncPrakerjaClient", "PrakerjaClient"]

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)
Timeout = float | httpx.Timeout | None


class _Shell(Generic[H]):
    """What both clients share: settings, signers, retry policy, the httpx client and its request options."""

    def __init__(
        self,
        *,
        client_code: str | None,
        sign_key: str | None,
        base_url: str | Environment | None,
        timeout: Timeout | NotGiven,
        retry: RetryPolicy,
        transport: Any,
        http_client: H | None,
        clock: Callable[[], float] | None,
        environment: str | Environment | None = None,
        log_personal_data: bool = False,
    ) -> None:
        if transport is not None and http_client is not None:
            raise ConfigurationError(
                "pass transport= or http_client=, not both (configure the client's transport)"
            )
        self._settings = ClientSettings.resolve(
            client_code=client_code,
            sign_key=sign_key,
            base_url=base_url,
            retry=retry,
            clock=clock,
            environment=environment,
        )
        self._auths = self._settings.auths()
        self._random = random.Random()
        self._log_personal_data = log_personal_data is True
        # With the caller's http_client, its own timeout applies unless one is given here.
        self._request_timeout: Any = httpx.USE_CLIENT_DEFAULT if isinstance(timeout, NotGiven) else timeout
        client_timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        self._owns_http = http_client is None
        # a client that made its httpx client set DEFAULT_HEADERS there; copies share it (with_options)
        self._headers_on_http = http_client is None
        self._http: H = http_client or self._new_http(transport=transport, timeout=client_timeout)
        self._attach(self._settings.context)

    def _new_http(self, *, transport: Any, timeout: Timeout) -> H:
        raise NotImplementedError

    def _attach(self, context: CallContext) -> None:
        raise NotImplementedError

    @property
    def environment(self) -> Environment:
        """Where this client sends its calls."""
        return self._settings.environment

    @property
    def client_code(self) -> str:
        """The partner's client code."""
        return self._settings.client_code

    @property
    def retry(self) -> RetryPolicy:
        """How this client retries safe calls after transient failures."""
        return self._settings.retry

    def with_options(
        self,
        *,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A light copy with other per-request options, sharing this client's connections and credentials.

        ``timeout`` (seconds or an ``httpx.Timeout``) applies to each request of the copy; ``retry`` replaces
        the retry policy (``prakerja.NO_RETRY`` turns retries off); ``max_retries`` changes only the number
        of retries of the policy in force. Closing the copy leaves the connections open; close the original.
        """
        policy = self._settings.retry if isinstance(retry, NotGiven) else retry
        if not isinstance(policy, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy (NO_RETRY to disable), got {policy!r}")
        if not isinstance(max_retries, NotGiven):
            if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
                raise ConfigurationError(f"max_retries must be an integer >= 0, got {max_retries!r}")
            policy = attrs.evolve(policy, max_retries=max_retries)
        clone = copy.copy(self)
        clone._settings = attrs.evolve(self._settings, retry=policy)
        if not isinstance(timeout, NotGiven):
            clone._request_timeout = timeout
        clone._owns_http = False  # the original closes the shared pool
        clone._attach(clone._settings.context)
        return clone

    def _request(self, call: Call[Any]) -> httpx.Request:
        method, url, content, headers = request_parts(
            call, self.environment, default_headers=not self._headers_on_http
        )
        return self._http.build_request(
            method, url, content=content, headers=headers, timeout=self._request_timeout
        )

    def _delay(self, call: Call[Any], error: PrakerjaError, retry: int) -> float | None:
        return self._settings.retry.delay_after(
            error,
            operation=call.operation_id,
            retry_safe=call.retry_safe,
            retry=retry,
            random=self._random.random,
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(client_code={self.client_code!r}, environment={self.environment.name!r})"
        )


class PrakerjaClient(_Shell[httpx.Client]):
    """A Prakerja API client; reuse one per process (it keeps connections open). Close it, or use ``with``.

    Credentials come from the arguments or the ``PRAKERJA_CLIENT_CODE``, ``PRAKERJA_SIGN_KEY`` and
    ``PRAKERJA_BASE_URL`` environment variables. ``environment`` is a preset name (``"production"``, the
    default; ``"sandbox"``; ``"local"``) or an :class:`~prakerja.Environment`; ``base_url`` a URL serving
    all three Prakerja hosts (a preset name is accepted there too). Sandbox credentials (``SBX-``) sent to
    production raise a :class:`~prakerja.SandboxCredentialsWarning`. Pass ``transport=`` (e.g.
    ``httpx.MockTransport`` or ``httpx.WSGITransport``) or a configured ``http_client=``; the client closes
    only what it created. Log records mask personal data (card numbers, e-mails, phone numbers);
    ``log_personal_data=True`` keeps them, for local debugging only.
    """

    payments: Payments
    attendance: Attendance
    tpm: Tpm
    sso: Sso

    def __init__(
        self,
        *,
        client_code: str | None = None,
        sign_key: str | None = None,
        base_url: str | Environment | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        retry: RetryPolicy = DEFAULT_RETRY,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        clock: Callable[[], float] | None = None,
        environment: str | Environment | None = None,
        log_personal_data: bool = False,
    ) -> None:
        super().__init__(
            environment=environment,
            log_personal_data=log_personal_data,
            client_code=client_code,
            sign_key=sign_key,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            transport=transport,
            http_client=http_client,
            clock=clock,
        )

    def _new_http(self, *, transport: Any, timeout: Timeout) -> httpx.Client:
        return httpx.Client(transport=transport, timeout=timeout, headers=DEFAULT_HEADERS)

    def _attach(self, context: CallContext) -> None:
        # The operations (with their models and request checks) load with the first client, not on import.
        from prakerja.resources import Attendance, Payments, Sso, Tpm

        self.payments = Payments(self._send, context, send_raw=self._send_raw)
        self.attendance = Attendance(self._send, context, send_raw=self._send_raw)
        self.tpm = Tpm(self._send, context, send_raw=self._send_raw)
        self.sso = Sso(self._send, context, send_raw=self._send_raw)

    def _send(self, call: Call[T]) -> T:
        return self._send_raw(call).parse()

    def _send_raw(self, call: Call[T]) -> RawResponse[T]:
        with personal_data_logged(self._log_personal_data):
            raw = self._send_with_retries(call)
            follow_up = call.follow_up
            if follow_up is None:
                return raw
            try:
                read = self._send_with_retries(follow_up.call).parse()
            except PrakerjaError as error:
                return attrs.evolve(raw, parsed=follow_up.failed(raw.parse(), error))
            return attrs.evolve(raw, parsed=follow_up.merge(raw.parse(), read))

    def _send_with_retries(self, call: Call[T]) -> RawResponse[T]:
        retry = 0
        while True:
            try:
                result, response = self._attempt(call)
            except PrakerjaError as error:
                retry += 1
                delay = self._delay(call, error, retry)
                if delay is None:
                    raise
            else:
                return RawResponse(
                    operation=call.operation_id, http_response=response, attempts=retry + 1, parsed=result
                )
            time.sleep(delay)

    def _attempt(self, call: Call[T]) -> tuple[T, httpx.Response]:
        request = self._request(call)
        try:
            response = self._http.send(request, auth=self._auths[call.convention])
        except httpx.RequestError as error:
            raise transport_error(call, error, request) from error
        return parse_response(call, response), response

    def close(self) -> None:
        """Close the connections (only when the client created its own ``httpx.Client``)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncPrakerjaClient(_Shell[httpx.AsyncClient]):
    """The async twin of :class:`PrakerjaClient`: the same arguments, resources and behaviour; methods are
    awaited. Close it with ``await client.aclose()`` or use ``async with``."""

    payments: AsyncPayments
    attendance: AsyncAttendance
    tpm: AsyncTpm
    sso: AsyncSso

    def __init__(
        self,
        *,
        client_code: str | None = None,
        sign_key: str | None = None,
        base_url: str | Environment | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        retry: RetryPolicy = DEFAULT_RETRY,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] | None = None,
        environment: str | Environment | None = None,
        log_personal_data: bool = False,
    ) -> None:
        super().__init__(
            environment=environment,
            log_personal_data=log_personal_data,
            client_code=client_code,
            sign_key=sign_key,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            transport=transport,
            http_client=http_client,
            clock=clock,
        )

    def _new_http(self, *, transport: Any, timeout: Timeout) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=transport, timeout=timeout, headers=DEFAULT_HEADERS)

    def _attach(self, context: CallContext) -> None:
        from prakerja.resources import AsyncAttendance, AsyncPayments, AsyncSso, AsyncTpm

        self.payments = AsyncPayments(self._send, context, send_raw=self._send_raw)
        self.attendance = AsyncAttendance(self._send, context, send_raw=self._send_raw)
        self.tpm = AsyncTpm(self._send, context, send_raw=self._send_raw)
        self.sso = AsyncSso(self._send, context, send_raw=self._send_raw)

    async def _send(self, call: Call[T]) -> T:
        return (await self._send_raw(call)).parse()

    async def _send_raw(self, call: Call[T]) -> RawResponse[T]:
        with personal_data_logged(self._log_personal_data):
            raw = await self._send_with_retries(call)
            follow_up = call.follow_up
            if follow_up is None:
                return raw
            try:
                read = (await self._send_with_retries(follow_up.call)).parse()
            except PrakerjaError as error:
                return attrs.evolve(raw, parsed=follow_up.failed(raw.parse(), error))
            return attrs.evolve(raw, parsed=follow_up.merge(raw.parse(), read))

    async def _send_with_retries(self, call: Call[T]) -> RawResponse[T]:
        retry = 0
        while True:
            try:
                result, response = await self._attempt(call)
            except PrakerjaError as error:
                retry += 1
                delay = self._delay(call, error, retry)
                if delay is None:
                    raise
            else:
                return RawResponse(
                    operation=call.operation_id, http_response=response, attempts=retry + 1, parsed=result
                )
            import anyio  # only an async client needs it (anyio's import is not free)

            await anyio.sleep(delay)

    async def _attempt(self, call: Call[T]) -> tuple[T, httpx.Response]:
        request = self._request(call)
        try:
            response = await self._http.send(request, auth=self._auths[call.convention])
        except httpx.RequestError as error:
            raise transport_error(call, error, request) from error
        return parse_response(call, response), response

    async def aclose(self) -> None:
        """Close the connections (only when the client created its own ``httpx.AsyncClient``)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
