"""A private certificate authority and a server certificate for 127.0.0.1, made with the ``openssl`` command.

This is what a staging host with a private CA (or a TLS-inspecting corporate network) looks like to the proxy:
a certificate no public bundle trusts, which verifies against the CA's own certificate. ``openssl`` is part of
every Debian and CI image the project runs on, so no Python dependency is added for it.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import attrs
import pytest

__all__ = ["PrivateCA", "private_ca"]

_CONFIG = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = Prakerja contract tests private CA
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""
_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


@attrs.frozen
class PrivateCA:
    """The CA's certificate (what ``--ca-bundle`` is given) and the server's certificate and key."""

    ca: Path
    certificate: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """The server side of TLS with the CA-signed certificate."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certificate, self.key)
        return context


def private_ca(directory: Path) -> PrivateCA:
    """A fresh CA and a certificate for ``127.0.0.1`` signed by it, written to ``directory``."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("the TLS tests make their certificates with the openssl command; install openssl")
    config = directory / "openssl.cnf"
    config.write_text(_CONFIG, encoding="utf-8")
    ca, ca_key = directory / "ca.pem", directory / "ca.key"
    certificate, key, request = directory / "server.pem", directory / "server.key", directory / "server.csr"
    steps: list[tuple[str | Path, ...]] = [
        (
            "req",
            "-x509",
            "-new",
            "-config",
            config,
            "-extensions",
            "ca",
            *_KEY,
            "-keyout",
            ca_key,
            "-out",
            ca,
        ),
        ("req", "-new", "-config", config, *_KEY, "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", request),
        ("x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", certificate),
    ]
    extras = [("-days", "2"), (), ("-days", "2", "-extfile", config, "-extensions", "leaf")]
    for step, extra in zip(steps, extras, strict=True):
        subprocess.run([openssl, *map(str, (*step, *extra))], check=True, capture_output=True, cwd=directory)
    return PrivateCA(ca=ca, certificate=certificate, key=key)
