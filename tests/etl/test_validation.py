"""Row validation beyond single values: marked-deleted master data, huge cells, rows split wrongly."""

from __future__ import annotations

import pytest

from etl.validation import MAX_TEXT, RowError, validate


@pytest.mark.parametrize(
    ("entity", "row"),
    [
        ("counterparties", {"counterparty_id": "K5", "name": "ООО Удалённый", "deleted": "Да"}),
        ("contracts", {"contract_id": "C5", "counterparty_id": "K1", "deleted": "true"}),
    ],
)
def test_marked_deleted_master_data_is_refused_not_loaded(entity: str, row: dict[str, str]) -> None:
    with pytest.raises(RowError) as caught:
        validate(entity, row)
    assert caught.value.column == "deleted"
    assert "marked deleted" in caught.value.reason


def test_not_deleted_master_data_loads() -> None:
    record = validate("counterparties", {"counterparty_id": "K5", "name": "ООО Живой", "deleted": "нет"})
    assert record["counterparty_id"] == "K5"


def test_a_value_longer_than_the_limit_rejects_the_row() -> None:
    row = {"document_id": "S1", "contract_id": "C1", "date": "2025-01-01" * 10**5, "amount": "1"}
    with pytest.raises(RowError) as caught:
        validate("shipments", row)
    assert caught.value.column == "date"
    assert caught.value.reason == f"the value is 1,000,000 characters long; at most {MAX_TEXT:,}"
    assert len(caught.value.value) < 50  # the reject quotes the start, not a megabyte


def test_a_description_longer_than_the_limit_is_left_out_with_a_warning() -> None:
    row = {"document_id": "S1", "contract_id": "C1", "date": "2025-01-01", "amount": "1", "warehouse": "x" * 10**6}
    warnings: list[RowError] = []
    assert validate("shipments", row, warnings)["warehouse"] == ""
    [warning] = warnings
    assert warning.column == "warehouse"
    assert warning.reason == f"the value is 1,000,000 characters long; at most {MAX_TEXT:,}; the row loads without it"
    assert len(warning.value) < 50
    row["warehouse"] = "x" * MAX_TEXT
    assert validate("shipments", row)["warehouse"] == "x" * MAX_TEXT


@pytest.mark.parametrize(
    ("entity", "row", "column", "value"),
    [
        ("counterparties", {"counterparty_id": "K", "name": "N", "inn": "7707083894"}, "inn", ""),
        ("counterparties", {"counterparty_id": "K", "name": "N", "kpp": "21"}, "kpp", ""),
        ("counterparties", {"counterparty_id": "K", "name": "N", "email": "a@b.ru;нет"}, "email", "a@b.ru"),
        (
            "shipments",
            {"document_id": "S", "contract_id": "C", "date": "2025-01-01", "amount": "10", "vat": "11"},
            "vat",
            None,
        ),
    ],
)
def test_a_bad_descriptive_value_is_a_warning_not_a_reject(
    entity: str, row: dict[str, str], column: str, value: str | None
) -> None:
    warnings: list[RowError] = []
    assert validate(entity, row, warnings)[column] == value
    assert [w.column for w in warnings] == [column]


def test_a_row_joined_by_another_delimiter_says_so() -> None:
    row = {"document_id": "S2,C1,2025-03-02,200", "contract_id": "", "date": "", "amount": ""}
    with pytest.raises(RowError) as caught:
        validate("shipments", row)
    assert (caught.value.column, caught.value.value) == ("document_id", "S2,C1,2025-03-02,200")
    assert "another delimiter" in caught.value.reason
    # One comma in a lone value is a name, not a joined row: the real reason stands.
    with pytest.raises(RowError, match="required value is empty"):
        validate("counterparties", {"counterparty_id": "", "name": "ООО Рога, копыта"})
