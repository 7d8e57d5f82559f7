"""Client-side cost of the SDK: a signed, typed ``attendance.status`` call against a hand-written one.

Both calls go through ``httpx.MockTransport`` answering the same canned response in memory, so no network
time hides the client's own work. The hand-written baseline is the least a partner could write: compact
JSON, an HMAC, one ``httpx.Client.post`` and ``response.json()``. The SDK adds argument validation, the
signing ``httpx.Auth``, envelope checks, typed parsing into :class:`prakerja.RedeemCodeRecord` and the
retry loop. The two run interleaved in the same process; the ratio of their medians is printed with the
target. It reports and exits 0; it never fails a build.

    python bench/sdk_overhead.py [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import statistics
import sys
import time
from collections.abc import Callable

import httpx

import prakerja

TARGET = 1.25
CLIENT_CODE = "SBX-LP-CIPTAKREASI"
SIGN_KEY = "951fdf8a443d4f9ecba39c166cfdd6fec14c39e8"
BASE_URL = "http://127.0.0.1:5000"
PATH = "/api/v1/integration/payment/redeem-code/status"
RESPONSE = json.dumps(
    {
        "success": True,
        "message": "OK",
        "data": {
            "redeem_code": "PRAT-TC1001",
            "course_code": "prakerjaoauth1",
            "invoice_code": "invoice-testing-ops-111",
            "schedule_code": "prakerjaoauth",
            "status": 1,
            "attendance_status": 1,
            "redeem_at": "2023-10-24T10:54:45Z",
            "dp_platform": "Tokopedia",
            "schedule_start_end": "2023-10-24 10:00 - 2023-10-24 12:00",
            "course_type": 1,
            "course_type_label": "Pembelajaran Mandiri",
            "course_learning_method": "online",
            "is_online_attendance": True,
            "sequence": 1,
        },
    }
).encode()


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=RESPONSE, headers={"Content-Type": "application/json"})


def _hand_written(http: httpx.Client) -> Callable[[], object]:
    key = SIGN_KEY.encode()

    def call() -> object:
        body = json.dumps({"redeem_code": "PRAT-TC1001", "sequence": 1}, separators=(",", ":"))
        timestamp = str(int(time.time()))
        raw = f"{CLIENT_CODE}{timestamp}POST{PATH}{body}".encode()
        signature = hmac.new(key, raw, hashlib.sha1).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "client_code": CLIENT_CODE,
            "timestamp": timestamp,
            "signature": signature,
        }
        response = http.post(BASE_URL + PATH, content=body, headers=headers)
        return response.json()["data"]

    return call


def _sdk(client: prakerja.PrakerjaClient) -> Callable[[], object]:
    def call() -> object:
        return client.attendance.status("PRAT-TC1001", sequence=1)

    return call


def _per_call(call: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    args = parser.parse_args(argv)
    # Many short rounds, the two calls alternating, so load on the machine hits both alike; the ratio is
    # the median of the per-round ratios, the times the medians over rounds.
    rounds, calls = (15, 100) if args.quick else (61, 200)

    transport = httpx.MockTransport(_answer)
    with (
        httpx.Client(transport=transport) as http,
        prakerja.PrakerjaClient(
            client_code=CLIENT_CODE, sign_key=SIGN_KEY, base_url=BASE_URL, transport=transport
        ) as client,
    ):
        baseline, sdk = _hand_written(http), _sdk(client)
        assert isinstance(sdk(), prakerja.RedeemCodeRecord)  # warm-up, and the call really parses
        baseline()
        manual_times, sdk_times = [], []
        for index in range(rounds):
            order = (baseline, sdk) if index % 2 == 0 else (sdk, baseline)
            timed = {id(call): _per_call(call, calls) for call in order}
            manual_times.append(timed[id(baseline)])
            sdk_times.append(timed[id(sdk)])

    manual, typed = statistics.median(manual_times), statistics.median(sdk_times)
    ratio = statistics.median(s / m for s, m in zip(sdk_times, manual_times, strict=True))
    print("| benchmark | hand-written µs/call | SDK µs/call | ratio | target |")
    print("| --- | ---: | ---: | ---: | ---: |")
    verdict = "within target" if ratio <= TARGET else "above target"
    print(
        f"| attendance.status (MockTransport) | {manual * 1e6:.1f} | {typed * 1e6:.1f} | {ratio:.2f}x "
        f"| <= {TARGET:.2f}x ({verdict}) |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
