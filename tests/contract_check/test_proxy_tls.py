"""The proxy in front of an HTTPS upstream whose certificate a private CA signed (a staging host, a corporate
TLS-inspecting network): ``--ca-bundle`` verifies it, nothing else trusts it, ``--insecure`` is loud and marked.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from prakerja.contract_check.cli import main
from prakerja.contract_check.observations import read_observations
from prakerja.contract_check.observations_report import summarise
from prakerja.contract_check.proxy import ContractProxy
from prakerja_sandbox import create_app

from .certificates import PrivateCA, private_ca
from .drifting import RecordingServer, raw_request, serve, split_message
from .test_proxy import LP, QUOTA, _post, message, observations

OFFER = {"course_code": "prakerjaoauth1", "schedule_code": "prakerjaoauth"}
TOKEN = "/api/v1/oauth/token"


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> PrivateCA:
    return private_ca(tmp_path_factory.mktemp("private-ca"))


@pytest.fixture
def https_upstream(authority: PrivateCA) -> Iterator[RecordingServer]:
    """The sandbox over HTTPS, with a certificate for 127.0.0.1 signed by the private CA."""
    with serve(create_app(), tls=authority.server_context()) as server:
        yield server


def test_with_the_ca_bundle_the_https_upstream_answers_byte_for_byte(
    authority: PrivateCA, https_upstream: RecordingServer, tmp_path: Path
) -> None:
    with ContractProxy(
        https_upstream.url, observations=tmp_path / "o.jsonl", ca_bundle=authority.ca
    ) as proxy:
        answer = _post(proxy, QUOTA, OFFER)
        [seen] = observations(proxy, 1)

    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer == https_upstream.exchanges[-1].response
    assert (seen["operation"], seen["tls"], seen["server"]) == ("payments.quota", "verified", "integration")


def test_without_the_ca_bundle_the_proxy_answers_502_naming_the_tls_failure(
    https_upstream: RecordingServer, tmp_path: Path
) -> None:
    with ContractProxy(https_upstream.url, observations=tmp_path / "o.jsonl") as proxy:
        answer = _post(proxy, QUOTA, OFFER)
        [seen] = observations(proxy, 1)

    start, lines, body = split_message(answer)
    assert start == b"HTTP/1.1 502 Bad Gateway"
    assert b"X-Prakerja-Contract-Proxy: own-answer" in lines
    text = body.decode()
    assert f"TLS with the integration upstream {https_upstream.url} failed, so nothing was forwarded" in text
    assert "CERTIFICATE_VERIFY_FAILED" in text
    assert "--ca-bundle PATH" in text
    assert "--insecure" in text
    assert https_upstream.exchanges == []  # nothing reached the server
    [finding] = seen["findings"]
    assert finding["kind"] == "no-response"
    assert "CERTIFICATE_VERIFY_FAILED" in finding["text"]


def test_with_insecure_the_exchange_goes_through_and_every_record_says_so(
    https_upstream: RecordingServer, tmp_path: Path
) -> None:
    file = tmp_path / "o.jsonl"
    with ContractProxy(https_upstream.url, observations=file, insecure=True) as proxy:
        answer = _post(proxy, QUOTA, OFFER)
        [seen] = observations(proxy, 1)
    summary = summarise(read_observations(file))

    assert answer == https_upstream.exchanges[-1].response
    assert seen["tls"] == "unverified"
    warning = (
        "WARNING: 1 of 1 exchange(s) were recorded with TLS verification off (prakerja-contract proxy "
        "--insecure): their answers may not have come from Prakerja"
    )
    assert summary.to_text().splitlines()[1] == warning
    assert f"> **{warning}.**" in summary.to_markdown()


def test_a_report_of_verified_exchanges_carries_no_tls_warning(
    authority: PrivateCA, https_upstream: RecordingServer, tmp_path: Path
) -> None:
    file = tmp_path / "o.jsonl"
    with ContractProxy(https_upstream.url, observations=file, ca_bundle=authority.ca) as proxy:
        _post(proxy, QUOTA, OFFER)
        observations(proxy, 1)

    summary = summarise(read_observations(file))

    assert summary.unverified == 0
    assert "TLS" not in summary.to_text() + summary.to_markdown()


def test_ca_bundle_and_insecure_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["proxy", "--upstream", "https://a.example", "--ca-bundle", "ca.pem", "--insecure"])

    assert stopped.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize("content", [None, b"not a certificate\n"])
def test_a_ca_bundle_that_is_missing_or_not_pem_is_refused_saying_so(
    content: bytes | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "ca.pem"
    if content is not None:
        bundle.write_bytes(content)

    status = main(
        [
            *("proxy", "--upstream", "https://a.example", "--listen", "127.0.0.1:0"),
            *("--observations", str(tmp_path / "o"), "--ca-bundle", str(bundle)),
        ]
    )

    assert status == 2
    assert f"--ca-bundle {bundle}: not a readable PEM file of CA certificates" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_the_command_warns_on_start_and_marks_only_the_unverified_exchanges(
    https_upstream: RecordingServer, tmp_path: Path
) -> None:
    """``integration`` over plain HTTP, ``sso`` over HTTPS with --insecure: one proxy, two kinds of line."""
    command = Path(sys.executable).parent / "prakerja-contract"
    listen = f"127.0.0.1:{_free_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAKERJA_")} | {"PYTHONUNBUFFERED": "1"}
    with serve(create_app()) as plain:
        proxy = subprocess.Popen(
            [
                *(command, "proxy", "--upstream", f"integration={plain.url}"),
                *("--upstream", f"sso={https_upstream.url}", "--insecure", "--listen", listen),
                *("--observations", "o.jsonl", "--quiet"),
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proxy.stdout is not None
            assert proxy.stderr is not None
            banner = [proxy.stdout.readline(), proxy.stdout.readline()]
            warning = proxy.stderr.readline()
            url = f"http://{listen}"
            quota = raw_request(
                url, message(url, QUOTA, b'{"course_code":"prakerjaoauth1","schedule_code":"prakerjaoauth"}')
            )
            token = raw_request(
                url,
                message(
                    url,
                    TOKEN,
                    b'{"code":"not-a-code"}',
                    LP,
                    spelling=("X-Client-Id", "X-Signature", "X-Timestamp"),
                ),
            )
            proxy.send_signal(signal.SIGINT)
            rest, _ = proxy.communicate(timeout=15)
        finally:
            if proxy.poll() is None:
                proxy.kill()
    report = subprocess.run(
        [command, "observations", "o.jsonl"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert banner == [
        f"prakerja-contract proxy: {url} -> integration {plain.url}, sso {https_upstream.url}, oauth {plain.url}; "
        "observations in o.jsonl\n",
        f'prakerja-contract proxy: send every server\'s calls here, e.g. PrakerjaClient(base_url="{url}", ...) '
        "(one URL for the integration, SSO and consent hosts); the proxy sends each to its own upstream\n",
    ]
    assert warning.startswith(
        "prakerja-contract proxy: WARNING: --insecure: the upstreams' TLS certificates are NOT verified"
    )
    assert quota == plain.exchanges[-1].response
    assert token == https_upstream.exchanges[-1].response
    assert rest.splitlines()[-1] == "prakerja-contract proxy: stopped; 2 exchange(s) recorded"
    lines = list(read_observations(tmp_path / "o.jsonl"))
    assert [(o.operation, o.server, o.tls) for o in lines] == [
        ("payments.quota", "integration", "none"),
        ("sso.create_token", "sso", "unverified"),
    ]
    assert report.stdout.splitlines()[1].startswith(
        "WARNING: 1 of 2 exchange(s) were recorded with TLS verification off"
    )
