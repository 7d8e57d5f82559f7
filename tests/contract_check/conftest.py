"""Fixtures of the contract-check tests: the sandbox app, a DP's credentials and a checker bound to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from prakerja.contract import Contract, load_contract
from prakerja.contract_check import Credentials, Report, check
from prakerja_sandbox import create_app

Checker = Callable[..., Report]


@pytest.fixture(scope="session")
def contract() -> Contract:
    return load_contract()


@pytest.fixture(scope="session")
def tokopedia(contract: Contract) -> Credentials:
    """The seeded digital platform the checks sign as."""
    dp = next(p for p in contract.partners["digital_platforms"] if p["code"] == "tokopedia")
    return Credentials(client_code=dp["client_code"], sign_key=dp["sign_key"])


@pytest.fixture
def sandbox_app() -> Any:
    """A fresh, seeded in-process sandbox, its control API answering the made-up host the checks use."""
    return create_app({"allowed_hosts": ["sandbox.local"]})


@pytest.fixture
def run_checks(tokopedia: Credentials) -> Checker:
    """Run the checker in-process against a WSGI app (the sandbox, or a broken wrapper of it)."""

    def run(app: Any, **options: Any) -> Report:
        settings: dict[str, Any] = {"max_examples": 10, "seed": 20240501, **options}
        return check(
            base_url="http://sandbox.local",
            transport=httpx.WSGITransport(app=app),
            client_code=tokopedia.client_code,
            sign_key=tokopedia.sign_key,
            **settings,
        )

    return run
