"""``check()``: run every contract check against one server and return a :class:`Report`."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime

import httpx

from prakerja.contract import Contract, load_contract
from prakerja.contract_check.attacks import ATTACKS, check_attack
from prakerja.contract_check.control import ControlApi, ControlApiError
from prakerja.contract_check.discovery import Discovery, discover, partner_role, probe_role, seed_pool
from prakerja.contract_check.engine import PropertySettings
from prakerja.contract_check.invalid import check_invalid_requests
from prakerja.contract_check.report import Report, RunInfo
from prakerja.contract_check.results import CheckResult, Failure
from prakerja.contract_check.schemas import ContractSchemas
from prakerja.contract_check.stateful import check_lifecycle
from prakerja.contract_check.target import Target
from prakerja.contract_check.valid import check_valid_requests, check_wrong_role
from prakerja.contract_check.wire import Credentials, Wire

__all__ = ["KINDS", "SUB_KINDS", "check"]

#: The kinds of check, in the order they run.
KINDS = ("valid", "invalid", "signature", "stateful")
#: Kinds that select part of another: ``role`` runs only the ``role/<operation>`` checks (wrong-role
#: credentials), which ``valid`` also runs.
SUB_KINDS = ("role",)

Progress = Callable[[str], None]


def _quiet(_line: str) -> None:
    return None


def _roles(
    target: Target, discovery: Discovery | None, extra: Iterable[tuple[str, Credentials]]
) -> tuple[dict[str, Credentials], list[CheckResult]]:
    roles: dict[str, Credentials] = {}
    problems: list[CheckResult] = []
    for given_role, credentials in extra:
        roles[given_role] = credentials
    if discovery is not None and discovery.partner(target.primary.client_code) is not None:
        own = discovery.partner(target.primary.client_code) or {}
        roles.setdefault(str(partner_role(own)), target.primary)
        for kind_name in ("DP", "LP"):
            usable = discovery.credentials(kind=kind_name)
            if kind_name not in roles and usable:
                roles[kind_name] = usable[0]
        return roles, problems
    role, problem = probe_role(target, target.primary)
    if role is not None:
        roles.setdefault(role, target.primary)
    else:
        problems.append(
            CheckResult(
                check_id="discovery/credentials",
                kind="discovery",
                title="the server accepts the given credentials",
                outcome="failed",
                failure=Failure(problems=(problem or "unknown role",)),
            )
        )
    return roles, problems


def check(
    *,
    client_code: str,
    sign_key: str,
    base_url: str = "http://127.0.0.1:5000",
    transport: httpx.BaseTransport | None = None,
    max_examples: int = 25,
    seed: int | None = None,
    allow_writes: bool | None = None,
    operations: Sequence[str] | None = None,
    kinds: Sequence[str] = KINDS,
    dp_credentials: Credentials | None = None,
    lp_credentials: Credentials | None = None,
    base_urls: Mapping[str, str] | None = None,
    control_token: str | None = None,
    use_control_api: bool = True,
    timestamp_window: int = 300,
    max_body_bytes: int = 65536,
    stateful_steps: int = 30,
    lifecycles: int | None = None,
    shrink_lifecycles: bool = False,
    allow_reset: bool | None = None,
    timeout: float = 30.0,
    contract: Contract | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check the server at ``base_url`` (or behind ``transport``) against the contract.

    ``allow_writes`` ``None`` means: send operations with side effects only when the server has a sandbox
    control API (so the run can reset what it did). ``seed`` makes a run repeatable; without one a random
    seed is chosen and reported. ``lifecycles`` runs of up to ``stateful_steps`` steps each chain the
    operations (default: twice ``max_examples``, at least 20). A failing lifecycle is shrunk to its fewest steps only with
    ``shrink_lifecycles`` (slow: each try replays it from a reset sandbox). Returns a :class:`Report`; ``report.ok`` is true only when every check held.

    The run resets a sandbox (before, after, and before each lifecycle) only with ``allow_reset``: by
    default only an in-process app (``transport`` given, the caller's own), never a server reached by URL,
    which may hold someone else's data. Without it the lifecycle checks are skipped, saying why.
    """
    unknown = sorted(set(kinds) - {*KINDS, *SUB_KINDS})
    if unknown:
        known = ", ".join((*KINDS, *SUB_KINDS))
        raise ValueError(f"unknown kind(s) of check {', '.join(unknown)}; known: {known}")
    contract = contract or load_contract()
    say = progress or _quiet
    chosen_seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    started_wall = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    started = time.monotonic()
    may_reset = (transport is not None) if allow_reset is None else allow_reset
    wire = Wire(base_url=base_url, transport=transport, base_urls=base_urls, timeout=timeout)
    try:
        control = ControlApi(wire.client, base_url, token=control_token) if use_control_api else None
        if control is not None and not control.probe():
            control = None
        discovery = None
        if control is not None:
            if may_reset:
                try:
                    control.reset()
                except ControlApiError as exc:
                    say(f"warning: could not reset the sandbox: {exc}")
            discovery = discover(control)
        primary = Credentials(client_code=client_code, sign_key=sign_key)
        op_ids = tuple(operations) if operations else tuple(contract.operations)
        target = Target(
            contract=contract,
            schemas=ContractSchemas(contract),
            wire=wire,
            settings=PropertySettings(
                max_examples=max_examples,
                seed=chosen_seed,
                shrink_lifecycles=shrink_lifecycles,
                lifecycles=lifecycles if lifecycles is not None else max(20, 2 * max_examples),
            ),
            pool=seed_pool(contract, discovery, primary),
            primary=primary,
            roles={},
            strangers=[] if discovery is None else discovery.credentials(usable=False),
            sso_strangers=[] if discovery is None else discovery.sso_clients(),
            control=control,
            allow_writes=(control is not None) if allow_writes is None else allow_writes,
            operation_ids=op_ids,
            timestamp_window=timestamp_window,
            progress=say,
            allow_reset=may_reset,
        )
        extra = [(role, creds) for role, creds in (("DP", dp_credentials), ("LP", lp_credentials)) if creds]
        target.roles, results = _roles(target, discovery, extra)
        say(
            f"checking {base_url}: control API {'found' if control else 'not found'}, "
            f"roles {', '.join(f'{k}={v.client_code}' for k, v in sorted(target.roles.items())) or 'unknown'}, "
            f"seed {chosen_seed}"
            + ("" if control is None or may_reset else "; not resetting it (no --allow-reset)")
        )
        planned = _plan(target, kinds, max_body_bytes, stateful_steps)
        for index, run in enumerate(planned, start=1):
            outcome = run()
            produced = outcome if isinstance(outcome, list) else [outcome]
            results.extend(produced)
            for result in produced:
                detail = (
                    f"{result.examples} examples" if result.outcome != "skipped" else (result.reason or "")
                )
                say(f"[{index:>3}/{len(planned)}] {result.check_id:<58} {result.outcome.upper():<7} {detail}")
        if control is not None and may_reset:  # leave the sandbox seeded, clock at its offset
            try:
                control.reset()
            except ControlApiError as exc:
                say(f"warning: could not reset the sandbox after the run: {exc}")
        info = RunInfo(
            base_url=base_url,
            client_code=client_code,
            roles={role: creds.client_code for role, creds in target.roles.items()},
            control_api=control is not None,
            allow_writes=target.allow_writes,
            max_examples=max_examples,
            seed=chosen_seed,
            contract_version=str(contract.openapi.get("info", {}).get("version", "?")),
            started_at=started_wall,
            duration_seconds=time.monotonic() - started,
            in_process=transport is not None,
        )
        coverage = wire.coverage
        return Report(
            info=info,
            results=tuple(results),
            requests=dict(coverage.requests),
            statuses={op: dict(counts) for op, counts in coverage.statuses.items()},
            codes={op: dict(counts) for op, counts in coverage.codes.items()},
            catalogue_codes=tuple(contract.errors),
            operations=op_ids,
            scenarios=dict(target.scenarios),
        )
    finally:
        wire.close()


Planned = Callable[[], CheckResult | list[CheckResult]]


def _plan(target: Target, kinds: Sequence[str], max_body: int, stateful_steps: int) -> list[Planned]:
    plan: list[Planned] = []
    for op in target.operation_ids:
        if "valid" in kinds:
            plan.append(functools.partial(check_valid_requests, target, op))
        if "valid" in kinds or "role" in kinds:
            plan.append(functools.partial(check_wrong_role, target, op))
        if "invalid" in kinds:
            plan.append(functools.partial(check_invalid_requests, target, op, max_body=max_body))
        if "signature" in kinds:
            plan += [functools.partial(check_attack, target, op, attack) for attack in ATTACKS]
    if "stateful" in kinds:
        plan.append(functools.partial(check_lifecycle, target, steps=stateful_steps))
    return plan
