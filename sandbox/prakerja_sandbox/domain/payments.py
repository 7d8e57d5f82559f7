"""Payments: a digital platform (DP) sells a course for a participant's Prakerja balance.

Send OTP checks the purchase and texts an OTP; Authorize checks the OTP and the payment token and executes the
purchase (balance debited, seat taken, transaction recorded, redeem code issued and texted); Status and Quota
read; Void cancels a purchase whose redeem code is unused. Every function runs in one serialised transaction,
so two racing calls can never both spend one token, one invoice code or the last seat.

Magic participants (``contracts/scenarios.yaml``) answer their code once the request is authenticated and
well-formed: at Send OTP (``step: payments.send_otp``) or at Authorize (``step: payments.authorize``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from prakerja_sandbox.clock import format_time, parse_time
from prakerja_sandbox.context import DomainContext
from prakerja_sandbox.domain.partners import Partner
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.seed import EDUCATION_RANK
from prakerja_sandbox.storage.base import Row, Tx

__all__ = [
    "MAX_OTP_ATTEMPTS",
    "PROGRAMME_MAX_AGE",
    "PROGRAMME_MIN_AGE",
    "authorize",
    "quota",
    "send_otp",
    "status",
    "void",
]

#: Wrong OTPs a payment token survives; the last one locks it (ERRPLT40025).
MAX_OTP_ATTEMPTS = 3
#: Buyers are 18 to 64 years old (programme rule), whatever the course allows.
PROGRAMME_MIN_AGE = 18
PROGRAMME_MAX_AGE = 64
_DEFAULT_OTP_TTL = 300
_DEFAULT_TOKEN_TTL = 900


def _setting(tx: Tx, key: str, default: int) -> int:
    value = tx.scalar("SELECT value FROM kv WHERE key = ?", (f"defaults.{key}",))
    return default if value is None else int(value)


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _mask_phone(phone: str) -> str:
    if len(phone) <= 8:
        return phone[:2] + "*" * max(len(phone) - 2, 0)
    return phone[:4] + "*" * (len(phone) - 8) + phone[-4:]


def _magic(participant: Row | None, step: str) -> None:
    if participant is not None and participant["magic_step"] == step and participant["magic_code"]:
        raise ApiError(participant["magic_code"], detail=f"magic participant {participant['prakerja_id']}")


def _is_magic(participant: Row) -> bool:
    return str(participant["prakerja_id"]).startswith("999") and participant["magic_step"] is None


def _course_on_sale(tx: Tx, dp: Partner, course_code: str) -> Row:
    course = tx.one("SELECT * FROM courses WHERE code = ?", (course_code,))
    if course is None:
        raise ApiError("ERRPLT40018", field="course_code", detail=f"no course {course_code!r}")
    if course["lp_code"] is not None:
        sold_here = tx.one(
            "SELECT 1 AS yes FROM course_platforms WHERE course_code = ? AND dp_code = ?",
            (course_code, dp.code),
        )
        if sold_here is None:
            raise ApiError(
                "ERRPLT40019", field="course_code", detail=f"{course_code} is not sold on {dp.name}"
            )
        lp_status = tx.scalar("SELECT status FROM partners WHERE code = ?", (course["lp_code"],))
        if lp_status != "validated":
            raise ApiError("ERRPLT40022", field="course_code", detail=f"the course's LP is {lp_status}")
    return course


def _schedule_of(tx: Tx, course_code: str, schedule_code: str) -> Row:
    schedule = tx.one("SELECT * FROM schedules WHERE code = ?", (schedule_code,))
    if schedule is None:
        raise ApiError("ERRPLT40010", field="schedule_code", detail=f"no schedule {schedule_code!r}")
    if schedule["course_code"] != course_code:
        raise ApiError(
            "ERRPLT40011",
            field="schedule_code",
            detail=f"schedule {schedule_code} is not of course {course_code}",
        )
    return schedule


def _seats_left(schedule: Row) -> int:
    return int(schedule["capacity"]) - int(schedule["sold"])


def _check_eligible(course: Row, participant: Row, today: date) -> None:
    age = _age(date.fromisoformat(participant["birth_date"]), today)
    lowest = max(PROGRAMME_MIN_AGE, int(course["min_age"]))
    highest = min(PROGRAMME_MAX_AGE, int(course["max_age"]))
    if not lowest <= age <= highest:
        raise ApiError(
            "ERRPLT40014", field="prakerja_id", detail=f"age {age}; this course takes {lowest}-{highest}"
        )
    needed = course["min_education"]
    if needed and EDUCATION_RANK.get(participant["education"], 0) < EDUCATION_RANK.get(needed, 0):
        raise ApiError(
            "ERRPLT40014", field="prakerja_id", detail=f"education {participant['education']}; needs {needed}"
        )


def _already_bought(tx: Tx, participant: Row, course_code: str) -> bool:
    if _is_magic(participant):
        return False  # the always-succeeds test participant may buy a course again and again
    row = tx.one(
        "SELECT 1 AS yes FROM transactions WHERE prakerja_id = ? AND course_code = ? AND status = 'SUCCESS'",
        (participant["prakerja_id"], course_code),
    )
    return row is not None


def send_otp(
    ctx: DomainContext,
    *,
    dp: Partner,
    user_platform_id: str,
    prakerja_id: str,
    course_code: str,
    schedule_code: str,
    amount: int,
) -> dict[str, Any]:
    """Check a purchase and text its OTP; returns the payment token and the expiry times.

    Checks in order: course exists (40018), is sold on this DP (40019), its LP is validated (40022); schedule
    exists (40010) and is the course's (40011), has not started (40012), has a seat (40013); participant
    exists and is active (40016), is eligible by age and education (40014); amount is the price (40017);
    ``user_platform_id`` is not bound to another card (40020); the course is not already bought (40021);
    the balance covers it (40015).

    A new Send OTP for the same participant and course supersedes earlier unused tokens (they answer
    ERRPLT40029 from then on), so a course can never be bought twice through two tokens.
    """
    now = ctx.now()
    with ctx.store.transaction() as tx:
        participant = tx.one("SELECT * FROM participants WHERE prakerja_id = ?", (prakerja_id,))
        _magic(participant, "payments.send_otp")
        course = _course_on_sale(tx, dp, course_code)
        schedule = _schedule_of(tx, course_code, schedule_code)
        if (
            not schedule["floating_start"]
            and schedule["start_at"]
            and parse_time(schedule["start_at"]) <= now
        ):
            raise ApiError("ERRPLT40012", field="schedule_code", detail=f"started at {schedule['start_at']}")
        if _seats_left(schedule) <= 0:
            raise ApiError("ERRPLT40013", field="schedule_code", detail="no seats left")
        if participant is None or participant["status"] != "active":
            raise ApiError(
                "ERRPLT40016", field="prakerja_id", detail="unknown or inactive Kartu Prakerja number"
            )
        _check_eligible(course, participant, now.date())
        if int(amount) != int(course["price"]):
            raise ApiError(
                "ERRPLT40017", field="amount", detail=f"the price of {course_code} is {course['price']}"
            )
        bound = tx.scalar(
            "SELECT prakerja_id FROM platform_bindings WHERE dp_code = ? AND user_platform_id = ?",
            (dp.code, user_platform_id),
        )
        if bound is not None and bound != prakerja_id:
            raise ApiError(
                "ERRPLT40020", field="user_platform_id", detail="bound to another Kartu Prakerja number"
            )
        if _already_bought(tx, participant, course_code):
            raise ApiError(
                "ERRPLT40021", field="course_code", detail="this participant already bought the course"
            )
        if int(participant["balance"]) < int(amount):
            raise ApiError("ERRPLT40015", field="amount", detail="the Prakerja balance is too low")
        if not _is_magic(participant):
            # a new OTP supersedes the participant's unused tokens for this course: they expire now, so one
            # participant never holds two live tokens for one course (no double purchase at Authorize)
            tx.execute(
                "UPDATE payment_tokens SET token_expires_at = ? WHERE prakerja_id = ? AND course_code = ? "
                "AND used_at IS NULL AND token_expires_at > ?",
                (format_time(now), prakerja_id, course_code, format_time(now)),
            )
        token = ctx.ids.payment_token()
        otp = ctx.ids.otp() if ctx.config.otp_mode == "random" else str(ctx.scenarios["otp"]["value"])
        otp_expires = now + timedelta(seconds=_setting(tx, "otp_ttl_seconds", _DEFAULT_OTP_TTL))
        token_expires = now + timedelta(seconds=_setting(tx, "payment_token_ttl_seconds", _DEFAULT_TOKEN_TTL))
        tx.execute(
            "INSERT INTO payment_tokens (token, dp_code, prakerja_id, user_platform_id, course_code, schedule_code, "
            "amount, otp, otp_expires_at, token_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (token, dp.code, prakerja_id, user_platform_id, course_code, schedule_code, int(amount), otp,
             format_time(otp_expires), format_time(token_expires), format_time(now)),
        )  # fmt: skip
        tx.execute(
            "INSERT INTO inbox (kind, phone, prakerja_id, text, otp, payment_token, created_at) "
            "VALUES ('otp', ?, ?, ?, ?, ?, ?)",
            (participant["phone"], prakerja_id,
             f"Kode OTP Prakerja Anda: {otp}. Pembelian {course['title']} di {dp.name} Rp{int(amount):,}. "
             "JANGAN berikan kode ini kepada siapa pun.".replace(",", "."),
             otp, token, format_time(now)),
        )  # fmt: skip
    return {
        "payment_token": token,
        "otp_expires_at": format_time(otp_expires),
        "token_expires_at": format_time(token_expires),
        "otp_sent_to": _mask_phone(str(participant["phone"])),
        "amount": int(amount),
    }


def _redeem_code(ctx: DomainContext, tx: Tx) -> str:
    while True:
        code = ctx.ids.redeem_code()
        if tx.one("SELECT 1 AS yes FROM redeem_codes WHERE code = ?", (code,)) is None:
            return code


def _transaction_code(ctx: DomainContext, tx: Tx) -> str:
    while True:
        code = ctx.ids.transaction_code()
        if tx.one("SELECT 1 AS yes FROM transactions WHERE transaction_code = ?", (code,)) is None:
            return code


def _token_problem(token: Row | None, dp: Partner, now: datetime) -> ApiError | None:
    if token is None or token["dp_code"] != dp.code:
        return ApiError("ERRPLT40026", detail="no such payment token for this platform")
    if token["used_at"] is not None:
        return ApiError("ERRPLT40027", detail=f"used at {token['used_at']}")
    if parse_time(token["token_expires_at"]) <= now:
        return ApiError("ERRPLT40029", detail=f"expired at {token['token_expires_at']}")
    if token["locked"]:
        return ApiError("ERRPLT40025", detail="locked after too many wrong OTPs; request a new OTP")
    return None


def authorize(
    ctx: DomainContext,
    *,
    dp: Partner,
    payment_token: str,
    otp: str,
    invoice_url: str,
    invoice_code: str,
) -> dict[str, Any]:
    """Check the OTP and execute the purchase; returns the transaction.

    Refusals: unknown token (40026), used (40027), expired or superseded by a newer Send OTP (40029), locked
    (40025); OTP expired (40024) or wrong (40023; the third wrong OTP locks the token and answers 40025);
    invoice code used (40030); the seat gone (40013) or the balance spent (40015) since Send OTP.
    """
    now = ctx.now()
    refusal: ApiError | None = None
    with ctx.store.transaction() as tx:
        token = tx.one("SELECT * FROM payment_tokens WHERE token = ?", (payment_token,))
        problem = _token_problem(token, dp, now)
        if problem is not None:
            raise problem
        assert token is not None
        participant = tx.one("SELECT * FROM participants WHERE prakerja_id = ?", (token["prakerja_id"],))
        _magic(participant, "payments.authorize")
        if parse_time(token["otp_expires_at"]) <= now:
            raise ApiError("ERRPLT40024", field="otp", detail=f"the OTP expired at {token['otp_expires_at']}")
        if otp != token["otp"]:
            attempts = int(token["attempts"]) + 1
            locked = attempts >= MAX_OTP_ATTEMPTS
            tx.execute(
                "UPDATE payment_tokens SET attempts = ?, locked = ? WHERE token = ?",
                (attempts, int(locked), payment_token),
            )
            refusal = (
                ApiError("ERRPLT40025", field="otp", detail=f"{attempts} wrong OTPs: the token is locked")
                if locked
                else ApiError(
                    "ERRPLT40023", field="otp", detail=f"wrong OTP ({MAX_OTP_ATTEMPTS - attempts} left)"
                )
            )
        else:
            return _execute(
                ctx, tx, dp, token, participant, invoice_url=invoice_url, invoice_code=invoice_code
            )
    # outside the transaction: the attempt counter is committed before the refusal is answered
    assert refusal is not None
    raise refusal


def _execute(
    ctx: DomainContext,
    tx: Tx,
    dp: Partner,
    token: Row,
    participant: Row | None,
    *,
    invoice_url: str,
    invoice_code: str,
) -> dict[str, Any]:
    now_text = format_time(ctx.now())
    if tx.one(
        "SELECT 1 AS yes FROM transactions WHERE dp_code = ? AND invoice_code = ?", (dp.code, invoice_code)
    ):
        raise ApiError(
            "ERRPLT40030", field="invoice_code", detail=f"{invoice_code} was used by an earlier purchase"
        )
    if participant is None or participant["status"] != "active":
        raise ApiError("ERRPLT40026", detail="the token's participant is no longer active")
    amount = int(token["amount"])
    taken = tx.execute(
        "UPDATE schedules SET sold = sold + 1 WHERE code = ? AND sold < capacity", (token["schedule_code"],)
    )
    if taken != 1:
        raise ApiError("ERRPLT40013", detail="the last seat was taken")
    debited = tx.execute(
        "UPDATE participants SET balance = balance - ? WHERE prakerja_id = ? AND balance >= ?",
        (amount, participant["prakerja_id"], amount),
    )
    if debited != 1:
        raise ApiError("ERRPLT40015", detail="the Prakerja balance no longer covers the price")
    transaction_code = _transaction_code(ctx, tx)
    redeem_code = _redeem_code(ctx, tx)
    course = tx.one("SELECT lp_code, title FROM courses WHERE code = ?", (token["course_code"],))
    assert course is not None
    tx.execute(
        "INSERT INTO transactions (transaction_code, dp_code, invoice_code, invoice_url, prakerja_id, "
        "user_platform_id, course_code, schedule_code, amount, status, payment_token, redeem_code, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'SUCCESS', ?, ?, ?)",
        (transaction_code, dp.code, invoice_code, invoice_url, participant["prakerja_id"], token["user_platform_id"],
         token["course_code"], token["schedule_code"], amount, token["token"], redeem_code, now_text),
    )  # fmt: skip
    tx.execute(
        "INSERT INTO redeem_codes (code, course_code, schedule_code, lp_code, dp_code, dp_platform, invoice_code, "
        "transaction_code, prakerja_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
        (redeem_code, token["course_code"], token["schedule_code"], course["lp_code"], dp.code, dp.name,
         invoice_code, transaction_code, participant["prakerja_id"], now_text),
    )  # fmt: skip
    tx.execute(
        "UPDATE payment_tokens SET used_at = ?, transaction_code = ? WHERE token = ?",
        (now_text, transaction_code, token["token"]),
    )
    tx.execute(
        "INSERT INTO platform_bindings (dp_code, user_platform_id, prakerja_id, created_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (dp.code, token["user_platform_id"], participant["prakerja_id"], now_text),
    )
    tx.execute(
        "INSERT INTO inbox (kind, phone, prakerja_id, text, redeem_code, created_at) "
        "VALUES ('redeem_code', ?, ?, ?, ?, ?)",
        (participant["phone"], participant["prakerja_id"],
         f"Pembelian {course['title']} berhasil. Kode redeem Anda: {redeem_code}. "
         "Gunakan kode ini di lembaga pelatihan untuk memulai pelatihan.",
         redeem_code, now_text),
    )  # fmt: skip
    return {
        "invoice_code": invoice_code,
        "transaction_code": transaction_code,
        "amount": amount,
        "status": "SUCCESS",
        "prakerja_name": participant["name"],
    }


def status(ctx: DomainContext, *, dp: Partner, invoice_code: str) -> dict[str, Any]:
    """The purchase with this DP's ``invoice_code`` (ERRPLT40032 when this DP has none)."""
    with ctx.store.read() as tx:
        row = tx.one(
            "SELECT t.*, p.name AS prakerja_name FROM transactions t "
            "LEFT JOIN participants p ON p.prakerja_id = t.prakerja_id WHERE t.dp_code = ? AND t.invoice_code = ?",
            (dp.code, invoice_code),
        )
    if row is None:
        raise ApiError(
            "ERRPLT40032", field="invoice_code", detail=f"no invoice {invoice_code!r} on {dp.name}"
        )
    return {
        "created_at": row["created_at"],
        "invoice_code": row["invoice_code"],
        "transaction_code": row["transaction_code"],
        "amount": int(row["amount"]),
        "status": row["status"],
        "prakerja_name": row["prakerja_name"] or "",
    }


def quota(ctx: DomainContext, *, dp: Partner, course_code: str, schedule_code: str) -> dict[str, Any]:
    """Seats left on a schedule: course unknown (40018), schedule unknown (40010) or not the course's (40011)."""
    del dp  # any DP may ask
    with ctx.store.read() as tx:
        if tx.one("SELECT 1 AS yes FROM courses WHERE code = ?", (course_code,)) is None:
            raise ApiError("ERRPLT40018", field="course_code", detail=f"no course {course_code!r}")
        schedule = _schedule_of(tx, course_code, schedule_code)
    return {
        "schedule_code": schedule_code,
        "course_code": course_code,
        "quota": max(_seats_left(schedule), 0),
    }


def void(ctx: DomainContext, *, dp: Partner, invoice_code: str, transaction_code: str) -> None:
    """Cancel a purchase: balance back, seat back, redeem code cancelled.

    Refusals: no such transaction on this DP (ERRVOD40001); the invoice is unknown (ERRPLT40032) or belongs to
    another transaction (ERRVOD40002); already cancelled (ERRPLT40028); redeem code already used (ERRVOD40003).
    """
    now_text = format_time(ctx.now())
    with ctx.store.transaction() as tx:
        row = tx.one(
            "SELECT * FROM transactions WHERE transaction_code = ? AND dp_code = ?",
            (transaction_code, dp.code),
        )
        if row is None:
            raise ApiError(
                "ERRVOD40001", field="transaction_code", detail=f"no transaction {transaction_code!r}"
            )
        if row["invoice_code"] != invoice_code:
            other = tx.one(
                "SELECT 1 AS yes FROM transactions WHERE dp_code = ? AND invoice_code = ?",
                (dp.code, invoice_code),
            )
            if other is None:
                raise ApiError("ERRPLT40032", field="invoice_code", detail=f"no invoice {invoice_code!r}")
            raise ApiError(
                "ERRVOD40002", field="invoice_code", detail="the invoice belongs to another transaction"
            )
        if row["status"] == "VOID":
            raise ApiError("ERRPLT40028", detail=f"cancelled at {row['voided_at']}")
        code = tx.one("SELECT status FROM redeem_codes WHERE code = ?", (row["redeem_code"],))
        used = code is not None and int(code["status"]) == 1
        # A failed face verification is not use of the code; only a verified session is.
        attended = tx.one(
            "SELECT 1 AS yes FROM attendance WHERE redeem_code = ? AND status = 1", (row["redeem_code"],)
        )
        if used or attended is not None:
            raise ApiError("ERRVOD40003", detail=f"redeem code {row['redeem_code']} was used")
        tx.execute(
            "UPDATE transactions SET status = 'VOID', voided_at = ? WHERE transaction_code = ?",
            (now_text, transaction_code),
        )
        tx.execute(
            "UPDATE participants SET balance = balance + ? WHERE prakerja_id = ?",
            (row["amount"], row["prakerja_id"]),
        )
        tx.execute(
            "UPDATE schedules SET sold = sold - 1 WHERE code = ? AND sold > 0", (row["schedule_code"],)
        )
        tx.execute(
            "UPDATE redeem_codes SET status = 2, cancelled_at = ? WHERE code = ?",
            (now_text, row["redeem_code"]),
        )
