"""A tiny checkout of a digital platform (DP) that sells courses paid with the Kartu Prakerja balance.

The buyer enters their Kartu Prakerja number; the platform asks Prakerja to text them an OTP, the buyer
types it, the platform authorizes the payment. Every refusal a DP must handle becomes a message for the
buyer; a lost Authorize answer is reconciled with Payment Status instead of paying twice.
"""

from __future__ import annotations

import itertools
from enum import StrEnum

import attrs

import prakerja

#: What the buyer reads for each refusal a DP must handle (``dp_must_handle`` in the error catalogue).
BUYER_MESSAGES = {
    "ERRPLT40010": "Jadwal pelatihan tidak ditemukan. Pilih jadwal lain.",
    "ERRPLT40011": "Jadwal tidak sesuai dengan pelatihan. Pilih jadwal lain.",
    "ERRPLT40012": "Pelatihan ini sudah dimulai dan tidak dapat dibeli lagi.",
    "ERRPLT40013": "Kuota jadwal ini sudah habis. Pilih jadwal lain.",
    "ERRPLT40014": "Kamu belum memenuhi syarat usia atau pendidikan pelatihan ini.",
    "ERRPLT40015": "Saldo pelatihan Kartu Prakerja kamu tidak mencukupi.",
    "ERRPLT40016": "Nomor Kartu Prakerja tidak ditemukan atau tidak aktif.",
    "ERRPLT40018": "Pelatihan tidak ditemukan.",
    "ERRPLT40020": "Akun ini sudah terhubung dengan nomor Kartu Prakerja lain.",
    "ERRPLT40021": "Kamu sudah membeli pelatihan ini.",
    "ERRPLT40022": "Pelatihan ini sedang tidak dapat dibeli.",
    "ERRPLT40023": "Kode OTP salah. Coba lagi.",
    "ERRPLT40024": "Kode OTP sudah kedaluwarsa. Minta kode baru.",
    "ERRPLT40025": "Terlalu banyak percobaan OTP. Minta kode baru.",
    "ERRPLT40027": "Pembayaran ini sudah diproses.",
    "ERRPLT40029": "Sesi pembayaran sudah berakhir. Ulangi pembelian.",
}
TRY_LATER = "Layanan Prakerja sedang sibuk. Coba lagi beberapa saat lagi."
SOMETHING_WRONG = "Pembayaran belum dapat diproses. Hubungi layanan pelanggan."


class OrderState(StrEnum):
    """Where an order stands."""

    NEW = "new"
    AWAITING_OTP = "awaiting_otp"
    PAID = "paid"
    REFUSED = "refused"
    UNKNOWN = "unknown"  # the Authorize answer was lost: reconcile before anything else
    CANCELLED = "cancelled"


@attrs.define
class Order:
    """One purchase attempt."""

    order_id: int
    user_id: str
    prakerja_id: str
    course_code: str
    schedule_code: str
    amount: int
    state: OrderState = OrderState.NEW
    message: str = ""
    payment_token: str | None = attrs.field(default=None, repr=False)
    invoice_code: str | None = None
    transaction_code: str | None = None

    @property
    def invoice_url(self) -> str:
        """Where the buyer finds the invoice."""
        return f"https://toko.example/invoice/{self.invoice_code}"


class Checkout:
    """The checkout flow over a :class:`prakerja.PrakerjaClient`."""

    def __init__(self, client: prakerja.PrakerjaClient, *, invoice_prefix: str = "TOKPED-") -> None:
        self.client = client
        self.invoice_prefix = invoice_prefix
        self._ids = itertools.count(1)

    def _refuse(self, order: Order, error: prakerja.PrakerjaAPIError) -> Order:
        order.state = OrderState.REFUSED
        order.message = BUYER_MESSAGES.get(
            error.code, TRY_LATER if error.status_code >= 500 else SOMETHING_WRONG
        )
        return order

    def start(
        self, *, user_id: str, prakerja_id: str, course_code: str, schedule_code: str, amount: int
    ) -> Order:
        """Ask Prakerja to text the buyer an OTP."""
        order = Order(next(self._ids), user_id, prakerja_id, course_code, schedule_code, amount)
        try:
            sent = self.client.payments.send_otp(
                user_platform_id=user_id,
                prakerja_id=prakerja_id,
                course_code=course_code,
                schedule_code=schedule_code,
                amount=amount,
            )
        except prakerja.PrakerjaAPIError as error:
            return self._refuse(order, error)
        order.payment_token = sent.payment_token
        order.state = OrderState.AWAITING_OTP
        order.message = f"Kode OTP dikirim ke {sent.otp_sent_to}."
        return order

    def confirm(self, order: Order, otp: str) -> Order:
        """Pay with the OTP the buyer typed."""
        if order.payment_token is None:
            raise ValueError("start() the order first")
        order.invoice_code = order.invoice_code or f"{self.invoice_prefix}{order.order_id:06d}"
        try:
            paid = self.client.payments.authorize(
                order.payment_token, otp=otp, invoice_code=order.invoice_code, invoice_url=order.invoice_url
            )
        except (prakerja.OutcomeUnknownError, prakerja.PrakerjaTransportError):
            # The answer was lost (a timeout, a dropped connection, a 5xx, a gateway page): the payment may
            # have happened, so ask Payment Status instead of authorizing again.
            return self._lost(order)
        except prakerja.PrakerjaAPIError as error:
            if error.code == "ERRPLT40023":  # a wrong OTP may be typed again
                order.message = BUYER_MESSAGES[error.code]
                return order
            return self._refuse(order, error)
        order.state = OrderState.PAID
        order.transaction_code = paid.transaction_code
        order.message = "Pembayaran berhasil. Kode redeem dikirim lewat SMS."
        return order

    def _lost(self, order: Order) -> Order:
        order.state = OrderState.UNKNOWN
        order.message = "Pembayaran sedang diperiksa."
        return self.reconcile(order)

    def reconcile(self, order: Order) -> Order:
        """Settle an order whose Authorize answer was lost, from Payment Status (never authorize twice)."""
        if order.invoice_code is None:
            raise ValueError("only an order that reached authorize can be reconciled")
        try:
            found = self.client.payments.reconcile(order.invoice_code)
        except prakerja.PrakerjaError:
            return order  # still unknown: try again later
        if found.paid and found.payment is not None:
            order.state = OrderState.PAID
            order.transaction_code = found.payment.transaction_code
            order.message = "Pembayaran berhasil. Kode redeem dikirim lewat SMS."
        else:
            order.state = OrderState.REFUSED
            order.message = "Pembayaran tidak terjadi. Silakan ulangi pembelian."
        return order

    def cancel(self, order: Order) -> Order:
        """Cancel a paid order (Void) while its redeem code is unused."""
        if order.invoice_code is None or order.transaction_code is None:
            raise ValueError("only a paid order can be cancelled")
        self.client.payments.void(invoice_code=order.invoice_code, transaction_code=order.transaction_code)
        order.state = OrderState.CANCELLED
        order.message = "Pembelian dibatalkan; saldo dikembalikan."
        return order
