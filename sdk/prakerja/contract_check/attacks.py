"""Signature attacks: requests a server must refuse because they are not what the partner signed.

Each attack takes a contract-valid draft, signs it correctly, then breaks one thing: a byte of the body or
query, a hex digit of the signature, the key, the client code, the timestamp, a header, or it replays the
signature on another path or body. The server must refuse with the code the contract names for that
failure (``ERRPLT401xx``/``ERRPLT40007`` on integration calls, ``ERROAUTH40xx`` on SSO calls).
"""

from __future__ import annotations

import contextlib
import json
import string
from collections.abc import Callable

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from prakerja.contract_check.conformance import (
    conformance_problems,
    expect_refusal,
    problems_for_valid_request,
)
from prakerja.contract_check.engine import run_property
from prakerja.contract_check.exchange import SentRequest
from prakerja.contract_check.requests import Draft, valid_drafts
from prakerja.contract_check.results import CheckResult, ContractViolation
from prakerja.contract_check.target import Target
from prakerja.contract_check.wire import Credentials, replace_header
from prakerja.signing import INTEGRATION_HEADERS, SSO_HEADERS, SignedHeaders

__all__ = ["ATTACKS", "Attack", "Codes", "check_attack"]

_ALNUM = string.ascii_letters + string.digits


@attrs.frozen
class Codes:
    """The refusal codes of one signing convention."""

    client_missing: str
    client_unknown: str
    signature_missing: str
    signature_invalid: str
    timestamp_malformed: str
    timestamp_stale: str
    timestamp_future: str


_CODES = {
    "integration": Codes(
        "ERRPLT40101",
        "ERRPLT40102",
        "ERRPLT40103",
        "ERRPLT40104",
        "ERRPLT40007",
        "ERRPLT40105",
        "ERRPLT40106",
    ),
    "sso": Codes(
        "ERROAUTH4024",
        "ERROAUTH4029",
        "ERROAUTH4036",
        "ERROAUTH4036",
        "ERROAUTH4037",
        "ERROAUTH4037",
        "ERROAUTH4037",
    ),
}


@attrs.frozen
class Case:
    """One attack request, the codes that may refuse it (empty: it must be accepted) and what was done."""

    request: SentRequest
    expected: frozenset[str]
    description: str


@attrs.frozen
class Attack:
    """A kind of attack: its name, what it shows, when it applies and how it builds its requests."""

    name: str
    title: str
    applies: Callable[[Target, str], str | None]
    cases: Callable[[Target, str, Credentials], st.SearchStrategy[Case]]


def _names(target: Target, operation_id: str) -> SignedHeaders:
    return INTEGRATION_HEADERS if target.operation(operation_id).signing == "integration" else SSO_HEADERS


def _codes(target: Target, operation_id: str) -> Codes:
    return _CODES[target.operation(operation_id).signing]


def _signature_optional(target: Target, operation_id: str) -> bool:
    param = target.schemas_of(operation_id).header(_names(target, operation_id).signature)
    return param is not None and not param.required


def _always(_target: Target, _operation_id: str) -> str | None:
    return None


def _needs_body_or_query(target: Target, operation_id: str) -> str | None:
    schemas = target.schemas_of(operation_id)
    if schemas.body is None and not schemas.query:
        return f"{operation_id} has no body or query whose bytes could be changed"
    return None


def _signed(
    target: Target, operation_id: str, credentials: Credentials
) -> st.SearchStrategy[tuple[Draft, SentRequest]]:
    return valid_drafts(target, operation_id).map(lambda draft: (draft, draft.build(target, credentials)))


def _tampered_bytes(target: Target, operation_id: str, credentials: Credentials) -> st.SearchStrategy[Case]:
    codes = _codes(target, operation_id)

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        _draft, request = draw(_signed(target, operation_id, credentials))
        if request.body:
            data = request.body
            index = draw(st.integers(0, len(data) - 1))
            replacement = draw(
                st.sampled_from([ord(c) for c in string.printable[:94] if ord(c) != data[index]])
            )
            changed = data[:index] + bytes([replacement]) + data[index + 1 :]
            with contextlib.suppress(ValueError):  # no longer JSON: certainly not what was signed
                assume(json.loads(changed) != json.loads(data))
            return Case(
                request=attrs.evolve(request, body=changed),
                expected=frozenset({codes.signature_invalid}),
                description=f"body byte {index} changed from {chr(data[index])!r} to {chr(replacement)!r} after signing",
            )
        base, _, query = request.url.partition("?")
        spots = [i for i, ch in enumerate(query) if ch in _ALNUM and "%" not in query[max(0, i - 2) : i]]
        assume(spots)
        index = draw(st.sampled_from(spots))
        letter = draw(st.sampled_from([c for c in _ALNUM if c != query[index]]))
        new_query = query[:index] + letter + query[index + 1 :]
        return Case(
            request=attrs.evolve(request, url=f"{base}?{new_query}"),
            expected=frozenset({codes.signature_invalid}),
            description=f"query character {index} changed from {query[index]!r} to {letter!r} after signing",
        )

    return build()


def _tampered_signature(
    target: Target, operation_id: str, credentials: Credentials
) -> st.SearchStrategy[Case]:
    names, codes = _names(target, operation_id), _codes(target, operation_id)

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        _draft, request = draw(_signed(target, operation_id, credentials))
        signature = request.header(names.signature) or ""
        index = draw(st.integers(0, len(signature) - 1))
        digit = draw(st.sampled_from([c for c in "0123456789abcdef" if c != signature[index].lower()]))
        changed = signature[:index] + digit + signature[index + 1 :]
        return Case(
            request=replace_header(request, names.signature, changed),
            expected=frozenset({codes.signature_invalid}),
            description=f"signature hex digit {index} changed",
        )

    return build()


def _uppercase_signature(
    target: Target, operation_id: str, credentials: Credentials
) -> st.SearchStrategy[Case]:
    names = _names(target, operation_id)
    return _signed(target, operation_id, credentials).map(
        lambda pair: Case(
            request=replace_header(pair[1], names.signature, (pair[1].header(names.signature) or "").upper()),
            expected=frozenset(),
            description="a correct signature in upper-case hex (decision signature-hex-case: must be accepted)",
        )
    )


def _wrong_key(target: Target, operation_id: str, credentials: Credentials) -> st.SearchStrategy[Case]:
    codes = _codes(target, operation_id)
    keys = [c.sign_key for c in target.strangers if c.sign_key != credentials.sign_key]
    key_strategy = st.one_of(
        *([st.sampled_from(keys)] if keys else []), st.binary(min_size=20, max_size=20).map(lambda b: b.hex())
    )

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        draft = draw(valid_drafts(target, operation_id))
        key = draw(key_strategy)
        assume(key != credentials.sign_key)
        request = draft.build(target, Credentials(client_code=credentials.client_code, sign_key=key))
        which = "another partner's sign key" if key in keys else "a random sign key"
        return Case(
            request=request, expected=frozenset({codes.signature_invalid}), description=f"signed with {which}"
        )

    return build()


def _other_client(target: Target, operation_id: str, credentials: Credentials) -> st.SearchStrategy[Case]:
    codes = _codes(target, operation_id)
    # An SSO call may only name a registered SSO client; any other partner is unknown there (ERROAUTH4029).
    pool = target.sso_strangers if target.operation(operation_id).signing == "sso" else target.strangers
    others = [c.client_code for c in pool if c.client_code != credentials.client_code]
    unknown = st.from_regex(r"ZZ-UNKNOWN-[A-Z0-9]{6}", fullmatch=True)
    choice = st.one_of(
        *([st.sampled_from(others).map(lambda code: (code, True))] if others else []),
        unknown.map(lambda c: (c, False)),
    )

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        draft = draw(valid_drafts(target, operation_id))
        client_code, registered = draw(choice)
        request = draft.build(target, Credentials(client_code=client_code, sign_key=credentials.sign_key))
        if registered:
            return Case(
                request, frozenset({codes.signature_invalid}), "another partner's client code with this key"
            )
        return Case(request, frozenset({codes.client_unknown}), f"unregistered client code {client_code}")

    return build()


def _timestamps(target: Target, operation_id: str, credentials: Credentials) -> st.SearchStrategy[Case]:
    codes = _codes(target, operation_id)
    window = target.timestamp_window
    margin = 60  # beyond the window, so clock skew between checker and server cannot blur the result

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        draft = draw(valid_drafts(target, operation_id))
        kind = draw(st.sampled_from(["stale", "future", "malformed"]))
        now = target.wire.now()
        if kind == "stale":
            age = draw(st.integers(window + margin, 10**7))
            return Case(
                draft.build(target, credentials, timestamp=now - age),
                frozenset({codes.timestamp_stale}),
                f"a correctly signed request {age} s old (a replay after the {window} s window)",
            )
        if kind == "future":
            ahead = draw(st.integers(window + margin, 10**7))
            return Case(
                draft.build(target, credentials, timestamp=now + ahead),
                frozenset({codes.timestamp_future}),
                f"a timestamp {ahead} s in the future",
            )
        stamp = draw(
            st.sampled_from(
                [str(now * 1000), f"{now}.5", "yesterday", "2023-10-26T10:00:16Z", f"-{now}", f"{now}x"]
            )
        )
        return Case(
            draft.build(target, credentials, timestamp=stamp),
            frozenset({codes.timestamp_malformed}),
            f"timestamp header {stamp!r} is not Unix seconds",
        )

    return build()


def _missing_header(target: Target, operation_id: str, credentials: Credentials) -> st.SearchStrategy[Case]:
    names, codes = _names(target, operation_id), _codes(target, operation_id)
    schemas = target.schemas_of(operation_id)
    options: list[tuple[str, str]] = [(names.client, codes.client_missing)]
    if not _signature_optional(target, operation_id):
        options.append((names.signature, codes.signature_missing))
        stamp = schemas.header(names.timestamp)
        options.append(
            (names.timestamp, (stamp.missing_code if stamp else None) or codes.timestamp_malformed)
        )
    return st.tuples(_signed(target, operation_id, credentials), st.sampled_from(options)).map(
        lambda item: Case(
            replace_header(item[0][1], item[1][0], None),
            frozenset({item[1][1]}),
            f"header {item[1][0]} left out",
        )
    )


def _replayed(target: Target, operation_id: str, credentials: Credentials) -> st.SearchStrategy[Case]:
    codes = _codes(target, operation_id)
    operation = target.operation(operation_id)
    # any path of the contract, not only the operations chosen for this run: a GET without a query has no
    # body to swap, so with --operation sso.profile alone there would be nothing to replay to
    elsewhere = [
        other
        for other in target.contract.operations
        if other != operation_id
        and target.write_skip_reason(other) is None
        and target.operation(other).method == operation.method
        and target.operation(other).signing == operation.signing
        and target.operation(other).path != operation.path
    ]

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        draft, request = draw(_signed(target, operation_id, credentials))
        if elsewhere and (request.body is None or not request.body or draw(st.booleans())):
            other = draw(st.sampled_from(elsewhere))
            url = target.wire.url_for(target.operation(other), request.url.partition("?")[2])
            return Case(
                attrs.evolve(request, url=url, operation_id=other),
                frozenset({codes.signature_invalid}),
                f"a signed {operation_id} request replayed to the path of {other}",
            )
        second = draw(valid_drafts(target, operation_id))
        assume(second.body_bytes() != draft.body_bytes())
        return Case(
            attrs.evolve(request, body=second.body_bytes() or b""),
            frozenset({codes.signature_invalid}),
            "a captured signature replayed with another body",
        )

    return build()


ATTACKS: tuple[Attack, ...] = (
    Attack(
        "tampered-bytes", "a byte changed after signing is refused", _needs_body_or_query, _tampered_bytes
    ),
    Attack("tampered-signature", "a changed signature digit is refused", _always, _tampered_signature),
    Attack("uppercase-signature", "an upper-case hex signature is accepted", _always, _uppercase_signature),
    Attack("wrong-key", "a request signed with another key is refused", _always, _wrong_key),
    Attack("other-client", "another or an unknown client code is refused", _always, _other_client),
    Attack("timestamp", "stale, future and malformed timestamps are refused", _always, _timestamps),
    Attack("missing-header", "a missing signing header is refused", _always, _missing_header),
    Attack("replay", "a signature replayed on another path or body is refused", _always, _replayed),
)


def check_attack(target: Target, operation_id: str, attack: Attack) -> CheckResult:
    """Run ``attack`` against ``operation_id``."""
    check_id = f"signature/{operation_id}/{attack.name}"
    title = f"{operation_id}: {attack.title}"
    skip = None
    if target.operation(operation_id).signing not in _CODES:
        skip = f"{operation_id} is not signed (x-signing: none)"
    skip = skip or attack.applies(target, operation_id) or target.write_skip_reason(operation_id)
    if skip is not None:
        return CheckResult(
            check_id=check_id,
            kind="signature",
            title=title,
            outcome="skipped",
            operation_id=operation_id,
            reason=skip,
        )
    credentials = target.credentials_for(operation_id) or target.primary

    def prop(case: Case) -> None:
        exchange = target.wire.send(case.request)
        sent_to = target.schemas_of(case.request.operation_id or operation_id)
        problems = conformance_problems(target.contract, sent_to, exchange)
        if case.expected:
            problems += expect_refusal(exchange, case.expected, why=case.description)
        else:
            problems += [f"{case.description}: {p}" for p in problems_for_valid_request(exchange)]
        if problems:
            raise ContractViolation(problems, exchange)

    return run_property(
        check_id=check_id,
        kind="signature",
        title=title,
        operation_id=operation_id,
        strategy=attack.cases(target, operation_id, credentials),
        prop=prop,
        settings=target.settings,
        max_examples=max(3, target.settings.max_examples // 3),
    )
