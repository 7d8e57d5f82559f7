"""The request log's ``mentions`` filter (storage migration 0007): exact, case-sensitive, served by an index.

The filter is checked against its definition, Python's ``text in body or text in query`` over the rows the log
holds, on both stores, through the control API, while rows are written, dropped by the log's bound and wiped
or kept by resets. Texts are drawn from the rows themselves (at their start, middle and end, with their case
changed) and from anywhere (quotes, ``%``, ``_``, backslashes, Unicode, fewer than three characters). The query
plans are read to show the filter does not read the whole log.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    initialize,
    invariant,
    precondition,
    rule,
)

from prakerja_sandbox import Sandbox
from prakerja_sandbox.request_log import COLUMNS

from .conftest import RequestLogMachine, run_machine_on_new_app

BOUND = 6  # the log keeps 6 or 7 rows (a step of one row)
KARTU = ("4180123456789012", "2900078904998608")
SPECIAL = ("%", "_", "\\", "'", '"', '""', "%_", "\\%", "é", "Ä", "ß", "𝔘", "😀", " ", "\n", "{", "}", ":")

# Text a body or query string may hold: Unicode (not NUL, which PostgreSQL's text cannot hold, nor lone
# surrogates), with the characters LIKE and FTS5 treat specially, and Kartu numbers.
_pieces = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8),
    st.sampled_from(SPECIAL),
    st.sampled_from(KARTU),
    st.sampled_from(("abc", "ABC", "Abc", "aBc")),
)
texts = st.lists(_pieces, max_size=6).map("".join)
Row = tuple[str | None, str]  # request_body (None: a request without a body), query


def _writer_row(body: str | None, query: str) -> tuple[Any, ...]:
    values: dict[str, Any] = dict.fromkeys(COLUMNS)
    values.update(at="2026-01-01T00:00:00Z", method="POST", path="/x", query=query, request_headers="{}")
    values.update(status=200, request_body=body)
    return tuple(values[name] for name in COLUMNS)


def holds(row: Row, text: str) -> bool:
    """The filter's definition."""
    body, query = row
    return (body is not None and text in body) or text in query


def _swap_case(text: str) -> str:
    return text.swapcase()


class Mentions(RequestLogMachine):
    """Writes, the bound's prunes and resets; every search answers what the definition says."""

    bound = BOUND

    def _reset(self, *, keep: bool) -> None:
        answer = self.client.post("/_sandbox/reset", json={"seed": False, "keep_request_log": keep})
        assert answer.status_code == 200, answer.get_data(as_text=True)

    def _log(self) -> list[tuple[int, Row]]:
        """The rows the log holds, newest first."""
        with self.sandbox.store.read() as tx:
            rows = tx.all("SELECT id, request_body, query FROM request_log ORDER BY id DESC")
        return [(row["id"], (row["request_body"], row["query"])) for row in rows]

    @initialize()
    def empty(self) -> None:
        self._reset(keep=False)

    @rule(rows=st.lists(st.tuples(st.none() | texts, texts), min_size=1, max_size=4))
    def write(self, rows: list[Row]) -> None:
        for body, query in rows:
            self.sandbox.request_log.record(_writer_row(body, query))

    @rule(rows=st.lists(st.tuples(st.none() | texts, texts), min_size=1, max_size=20))
    def write_batch(self, rows: list[Row]) -> None:
        """A file database's writer: rows go in as INSERTs of many rows, then the bound drops the oldest."""
        for body, query in rows:
            self.batched.record(_writer_row(body, query))
        self.batched.flush()

    @rule(keep=st.booleans())
    def reset(self, keep: bool) -> None:
        self._reset(keep=keep)

    @rule(text=texts.filter(bool))
    def search_anything(self, text: str) -> None:
        self._search(text)

    @precondition(lambda self: bool(self._log()))
    @rule(data=st.data(), swap=st.booleans())
    def search_what_a_row_holds(self, data: st.DataObject, swap: bool) -> None:
        """A slice of a logged body or query (start, middle, end, or whole), its case changed or not."""
        log = self._log()
        _, (body, query) = data.draw(st.sampled_from(log), label="row")
        held = data.draw(st.sampled_from([text for text in (body, query) if text] or [" "]), label="column")
        start = data.draw(st.integers(0, len(held) - 1), label="start")
        end = data.draw(st.integers(start + 1, len(held)), label="end")
        self._search(_swap_case(held[start:end]) if swap else held[start:end])

    def _search(self, text: str) -> None:
        log = self._log()
        expected = [row_id for row_id, row in log if holds(row, text)]
        answer = self.client.get(f"/_sandbox/requests?limit=1000&mentions={quote(text, safe='')}")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        page = answer.get_json()["data"]
        assert [item["id"] for item in page["items"]] == expected
        assert page["total"] == len(expected)
        first = self.client.get(f"/_sandbox/requests?limit=1&offset=1&mentions={quote(text, safe='')}")
        assert [item["id"] for item in first.get_json()["data"]["items"]] == expected[1:2]

    @invariant()
    def the_index_holds_the_log(self) -> None:
        """SQLite's FTS5 index agrees with the rows of the log (its own check, against the content table)."""
        store = self.sandbox.store
        if store.dialect == "sqlite":
            with store.transaction() as tx:  # raises "database disk image is malformed" on any difference
                tx.execute(
                    "INSERT INTO request_log_fts (request_log_fts, rank) VALUES ('integrity-check', 1)"
                )


@pytest.mark.parametrize("store_kind", ["sqlite", "postgresql"])
def test_mentions_is_the_rows_holding_the_text_through_writes_prunes_and_resets(store_kind: str) -> None:
    config = {"request_log_batch_ms": 0, "request_log_max_rows": BOUND}
    run_machine_on_new_app(
        store_kind, Mentions, config, settings(max_examples=25, stateful_step_count=15, deadline=None)
    )


def test_the_participant_page_lists_the_requests_naming_them(client: FlaskClient, sandbox: Sandbox) -> None:
    """The dashboard's participant page shows the requests holding their Kartu number, newest first, and no
    others: not a number one digit off, nor the number cut by a character."""
    number = KARTU[1]  # a seeded participant
    rows: list[Row] = [
        (f'{{"prakerja_id":"{number}"}}', ""),
        (None, f"prakerja_id={number}"),
        (f"{number}", "x=1"),
        (f'{{"prakerja_id":"{number[:-1]}9"}}', ""),  # one digit off
        (f'{{"prakerja_id":"{number[:8]} {number[8:]}"}}', ""),  # cut in two
        (f'{{"note":"x{number}x"}}', "y"),
        (f"{number[1:]}", f"{number[:-1]}"),  # each column holds a part, neither the whole
    ]
    for body, query in rows:
        sandbox.request_log.record(_writer_row(body, query))
    with sandbox.store.read() as tx:
        log = tx.all("SELECT id, request_body, query FROM request_log ORDER BY id DESC")
    expected = [row["id"] for row in log if holds((row["request_body"], row["query"]), number)]
    assert len(expected) == 4
    page = client.get(f"/_sandbox/ui/participants/{number}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    section = html.split("Requests naming this participant", 1)[1].split("</section>", 1)[0]
    total = re.search(r"<small>(\d+)</small>", section)
    assert total is not None
    assert total[1] == str(len(expected))
    assert [int(found) for found in re.findall(r'href="/_sandbox/ui/requests/(\d+)"', section)] == expected
