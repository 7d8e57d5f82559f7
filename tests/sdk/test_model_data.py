"""Models are hashable (``extra`` included) and turn back into plain data: ``to_dict`` and ``to_json``."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import prakerja
from prakerja import models
from prakerja._converter import read
from prakerja._frozen import FrozenDict, freeze

MODELS = [
    getattr(models, name)
    for name in models.__all__
    if isinstance(getattr(models, name), type)
    and attrs.has(getattr(models, name))
    and getattr(models, name) is not models.DecodeWarning
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)
RECORD = {
    "created_at": "2020-03-18T20:23:45Z",
    "invoice_code": "INV-1",
    "transaction_code": "TRX-1",
    "amount": 20000,
    "status": "SUCCESS",
    "prakerja_name": "arief budiman",
}


@given(extra=st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: k not in RECORD), json_values))
def test_a_model_with_any_extra_fields_hashes_and_round_trips_through_json(extra: dict[str, Any]) -> None:
    record = read({**RECORD, **extra}, prakerja.PaymentRecord)
    again = read({**RECORD, **extra}, prakerja.PaymentRecord)

    assert hash(record) == hash(again)
    assert len({record, again}) == 1
    assert json.loads(record.to_json()) == record.to_dict(mode="json")
    assert record.to_dict(mode="json")["extra"] == json.loads(json.dumps(extra))
    assert pickle.loads(pickle.dumps(record)) == record


@pytest.mark.parametrize("model", MODELS, ids=lambda cls: cls.__name__)
def test_every_model_hashes_and_serializes(model: type[Any]) -> None:
    instance = read({}, model) if model is not prakerja.PaymentReconciliation else None
    if instance is None:
        instance = prakerja.PaymentReconciliation(
            invoice_code="INV-1",
            outcome=prakerja.ReconcileOutcome.PAID,
            payment=read(RECORD, prakerja.PaymentRecord),
        )
    hash(instance)
    assert isinstance(json.loads(instance.to_json()), dict)


def test_to_dict_keeps_python_values_and_json_mode_makes_them_text() -> None:
    record = read(RECORD, prakerja.PaymentRecord)

    python = record.to_dict()
    as_json = record.to_dict(mode="json")

    assert python["created_at"] == datetime(2020, 3, 18, 20, 23, 45, tzinfo=UTC)
    assert python["status"] is prakerja.PaymentStatus.SUCCESS
    assert as_json["created_at"] == "2020-03-18T20:23:45Z"
    assert as_json["status"] == "SUCCESS"
    assert "raw_data" not in python
    assert "decode_warnings" not in python


@given(json_values)
def test_freeze_makes_any_json_value_hashable_and_equal_to_itself(value: Any) -> None:
    frozen = freeze(value)
    hash(frozen)
    assert freeze(frozen) == frozen
    if isinstance(value, dict):
        assert isinstance(frozen, FrozenDict)
        assert frozen == FrozenDict({k: freeze(v) for k, v in value.items()})


def test_extra_cannot_be_changed_in_place() -> None:
    record = read({**RECORD, "new": 1}, prakerja.PaymentRecord)
    with pytest.raises(TypeError):
        record.extra["new"] = 2  # type: ignore[index]
