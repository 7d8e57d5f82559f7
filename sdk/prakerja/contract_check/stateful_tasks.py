"""The TPM/UK steps of a lifecycle run: report an assignment, grade it, read both sides back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, rule

from prakerja.contract_check.model import POST_TEST, Purchase

if TYPE_CHECKING:
    from prakerja.contract_check.lifecycle import Lifecycle

__all__ = ["COURSE_TASKS", "TaskRules"]

ACCEPTED = 2
#: Tasks the rules draw from: the course's two TPMs and its UK, plus a TPM it does not have and a mismatch.
TASKS = (("tpm", 1), ("tpm", 2), ("uk", POST_TEST), ("tpm", 3), ("uk", 1))
#: The tasks the run's courses have.
COURSE_TASKS = TASKS[:3]


class TaskRules:
    """Rules mixed into the lifecycle machine (``self.life`` is its :class:`Lifecycle`)."""

    life: Lifecycle
    purchases = Bundle("purchases")

    @rule(purchase=purchases, task=st.sampled_from(TASKS))
    def submit_assignment(self, purchase: Purchase, task: tuple[str, int]) -> None:
        scope, sequence = task
        model = self.life.sync()
        rules = model.task_rules(purchase, scope, sequence)
        rules.add("ERRTPM40006", purchase.assignments.get(task) == ACCEPTED, "the assignment was accepted")
        url_file = f"https://lp.example/tugas/{purchase.redeem_code}-{scope}-{sequence}.pdf"
        body = {
            "redeem_code": purchase.redeem_code,
            "scope": scope,
            "sequence": sequence,
            "url_file": url_file,
        }
        exchange, data = self.life.call(
            "tpm.submit_assignment", body, credentials=self.life.lp, expect=rules.expect()
        )
        if data is None:
            return
        self.life.compare(
            exchange, "assignment answer", {"scope": scope, "sequence": sequence, "status": 1}, data
        )
        purchase.assignments[task] = 1
        self.life.target.scenarios["TPM assignment" if scope == "tpm" else "UK assignment"] += 1

    @rule(purchase=purchases, task=st.sampled_from(TASKS))
    def submit_feedback(self, purchase: Purchase, task: tuple[str, int]) -> None:
        scope, sequence = task
        model = self.life.sync()
        rules = model.task_rules(purchase, scope, sequence)
        rules.add("ERRTPM40004", not purchase.assignments.get(task), "no assignment was submitted")
        rules.add("ERRTPM40005", purchase.feedback.get(task) == ACCEPTED, "the feedback is final")
        body = {
            "redeem_code": purchase.redeem_code,
            "scope": scope,
            "sequence": sequence,
            "notes": "Bagus, lulus.",
        }
        exchange, data = self.life.call(
            "tpm.submit_feedback", body, credentials=self.life.lp, expect=rules.expect()
        )
        if data is None:
            return
        self.life.compare(
            exchange, "feedback answer", {"scope": scope, "sequence": sequence, "status": ACCEPTED}, data
        )
        purchase.feedback[task] = ACCEPTED
        purchase.assignments[task] = ACCEPTED  # a passed grade closes the task (ERRTPM40005, ERRTPM40006)
        self.life.target.scenarios["TPM/UK feedback"] += 1

    @rule(purchase=purchases, task=st.sampled_from(TASKS))
    def submission_status(self, purchase: Purchase, task: tuple[str, int]) -> None:
        scope, sequence = task
        model = self.life.sync()
        expect = model.task_rules(purchase, scope, sequence).expect()
        body = {"redeem_code": purchase.redeem_code, "scope": scope, "sequence": sequence}
        exchange, data = self.life.call(
            "tpm.submission_status", body, credentials=self.life.lp, expect=expect
        )
        if data is None:
            return
        for side, states in (("assignment", purchase.assignments), ("feedback", purchase.feedback)):
            answered = data.get(side)
            if not isinstance(answered, dict):
                self.life.fail([f"submission status has no {side} object"], exchange)
                return
            self.life.compare(
                exchange, f"submission status, {side}", {"status": states.get(task, 0)}, answered
            )
