"""Every Python program of the documentation passes ``mypy --strict``: a partner who copies one into a
type-checked project gets no error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mypy import api as mypy_api

from .samples import all_samples

ROOT = Path(__file__).resolve().parents[2]


def _module_name(sample_id: str) -> str:
    return "sample_" + re.sub(r"\W", "_", sample_id)


@pytest.mark.slow
def test_every_python_sample_passes_mypy_strict(tmp_path: Path) -> None:
    samples = all_samples("python")
    assert samples
    names: dict[str, str] = {}
    for sample in samples:
        name = _module_name(sample.id)
        names[f"{name}.py"] = sample.id
        (tmp_path / f"{name}.py").write_text(sample.code, encoding="utf-8")

    out, err, status = mypy_api.run(
        [
            "--strict",
            # no sample uses a deprecated name (the renamed models of docs/sdk.md, deprecated stdlib calls)
            "--enable-error-code",
            "deprecated",
            "--python-version",
            "3.11",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            *sorted(str(tmp_path / file) for file in names),
        ]
    )

    findings = [line for line in out.splitlines() if ": error:" in line]
    located = [f"{names.get(Path(line.split(':', 1)[0]).name, '?')}: {line}" for line in findings]
    assert status == 0, "\n".join(located) or out + err
