"""A workspace of its own for a contract-check run on a shared sandbox (``prakerja-contract check --workspace``).

The run makes a workspace through the sandbox's control API (``POST /_sandbox/workspaces``), checks the
workspace's copy of the seeded world under its base URL, resets only it, and deletes it afterwards, so it never
touches anybody else's state on the same sandbox.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import attrs
import httpx

__all__ = ["Workspace", "WorkspaceError", "own_workspace"]


class WorkspaceError(RuntimeError):
    """The sandbox could not make the workspace (no control API, no workspaces, or a refusal)."""


@attrs.frozen
class Workspace:
    """A workspace made for one run."""

    name: str
    base_url: str
    control_token: str


@contextmanager
def own_workspace(base_url: str, control_token: str | None, *, timeout: float = 30.0) -> Iterator[Workspace]:
    """Make a workspace on the sandbox at ``base_url`` for the ``with`` block, and delete it afterwards."""
    headers = {"Authorization": f"Bearer {control_token}"} if control_token else {}
    with httpx.Client(timeout=timeout) as client:
        try:
            answer = client.post(base_url.rstrip("/") + "/_sandbox/workspaces", json={}, headers=headers)
        except httpx.HTTPError as error:
            raise WorkspaceError(f"could not reach {base_url}: {error}") from error
        if answer.status_code != 201:
            raise WorkspaceError(
                f"POST /_sandbox/workspaces answered HTTP {answer.status_code}: {answer.text[:300]} "
                "(a sandbox with workspaces and its control token are needed)"
            )
        data = answer.json()["data"]
        made = Workspace(name=data["name"], base_url=data["base_url"], control_token=data["control_token"])
        try:
            yield made
        finally:
            gone = client.request(
                "DELETE",
                f"{made.base_url}/_sandbox/workspaces/{made.name}",
                json={},  # the control API takes JSON writes only
                headers={"Authorization": f"Bearer {made.control_token}"},
            )
            if gone.status_code != 200 and sys.exc_info()[0] is None:
                raise WorkspaceError(
                    f"could not delete workspace {made.name}: HTTP {gone.status_code}: {gone.text[:300]}"
                )
