"""Usage errors of ``prakerja-contract proxy`` are clear and exit 2."""

from __future__ import annotations

import pytest

from prakerja.contract_check.cli import main


@pytest.mark.parametrize("listen", ["8080", "127.0.0.1:http", "127.0.0.1:70000"])
def test_a_listen_address_that_is_not_host_and_port_is_refused(
    listen: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(
            ["proxy", "--upstream", "http://127.0.0.1:5000", "--listen", listen, "--observations", "o.jsonl"]
        )

    assert stopped.value.code == 2
    assert "expected HOST:PORT such as 127.0.0.1:8080" in capsys.readouterr().err


@pytest.mark.parametrize("upstream", ["api-ssn.prakerja.go.id", "ftp://api-ssn.prakerja.go.id"])
def test_an_upstream_that_is_not_an_http_url_is_refused(
    upstream: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["proxy", "--upstream", upstream, "--listen", "127.0.0.1:0", "--observations", "o.jsonl"])

    assert status == 2
    assert (
        "--upstream must be an http(s) URL such as https://api-ssn.prakerja.go.id" in capsys.readouterr().err
    )


def test_the_help_names_both_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])

    out = capsys.readouterr().out
    assert "proxy" in out
    assert "observations" in out
