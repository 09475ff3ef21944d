"""Reading the act a counterparty sent back (dashboard/services/their_act.py): the table found wherever it
starts, the right half chosen, amounts and dates in the forms 1C and people write them, and files that are
no act refused with a message in both languages."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dashboard.services.act_xlsx import act_xlsx_bytes
from dashboard.services.their_act import TheirActError, read_their_act
from tests.helpers.acts import COMPANY as ACT_COMPANY
from tests.helpers.acts import HEADER, THREE_AND_THREE, make_act
from tests.helpers.their_acts import CLIENT, COMPANY, Layout, TheirLine, act_sheet, csv_bytes, write_xlsx

D1, D2 = date(2026, 1, 1), date(2026, 1, 31)
# Their books (the client's, our goods bought): opening -1 500,00 (they owe us: a credit balance in their
# books), our shipment is their receipt (credit), their payment is their debit.
LINES = [
    TheirLine(date(2026, 1, 15), "Поступление (акт, накл.) 00123 от 15.01.2026", 0, 123_456_78),
    TheirLine(date(2026, 1, 16), "Платежное поручение № 45 от 16.01.2026", 50_000_00, 0),
    TheirLine(date(2026, 1, 20), "Поступление (акт, накл.) 00130 от 20.01.2026", 0, 99),
]
OPENING = -1_500_00
# closing: -1 500,00 + 50 000,00 - 123 456,78 - 0,99 = -74 957,77


def sheet(layout: Layout | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    arguments: dict[str, object] = {
        "date_from": D1,
        "date_to": D2,
        "first_name": CLIENT,
        "second_name": COMPANY,
        "first": (OPENING, LINES),
        "layout": layout or Layout(),
    }
    return act_sheet(**(arguments | kwargs))  # type: ignore[arg-type]


def xlsx(tmp_path: Path, the_sheet: object) -> bytes:
    return write_xlsx(the_sheet, tmp_path / "act.xlsx").read_bytes()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "layout",
    [
        Layout(),
        Layout(row=9, column=4, doc_span=1),  # below a logo, the table from column D
        Layout(row=2, column=2, doc_span=5, label_in_date=False),
        Layout(amounts_as_text=True, dates_as_text=True),
    ],
)
def test_their_half_read_wherever_the_table_starts(tmp_path: Path, layout: Layout) -> None:
    act = read_their_act(xlsx(tmp_path, sheet(layout)), "act.xlsx", our_names=[COMPANY])
    assert act.heading == CLIENT
    assert act.opening == -1_500_00
    assert [(x.day, x.document, x.debit, x.credit) for x in act.lines] == [
        (x.day, x.document, x.debit, x.credit) for x in LINES
    ]
    assert act.turnover == (50_000_00, 123_457_77)  # 123 456,78 + 0,99
    assert act.closing == -74_957_77
    assert act.warnings == ()


@pytest.mark.parametrize(("delimiter", "encoding"), [(";", "cp1251"), (",", "utf-8"), (";", "utf-8-sig")])
def test_csv_in_either_encoding_and_delimiter(delimiter: str, encoding: str) -> None:
    data = csv_bytes(sheet(Layout(row=3, column=2)), delimiter=delimiter, encoding=encoding)
    act = read_their_act(data, "акт сверки.csv", our_names=[COMPANY])
    assert (act.opening, len(act.lines), act.closing) == (-1_500_00, 3, -74_957_77)
    assert act.lines[0].credit == 123_456_78


def test_the_half_naming_us_is_ours_whichever_comes_first(tmp_path: Path) -> None:
    # Printed by us: our half first (opening +1 500,00 in our debit, our shipment in debit), theirs second
    ours = (1_500_00, [TheirLine(date(2026, 1, 15), "Реализация 123", 123_456_78, 0)])
    theirs = (OPENING, LINES)
    printed = sheet(first_name=COMPANY, second_name=CLIENT, first=ours, second=theirs)
    act = read_their_act(xlsx(tmp_path, printed), "act.xlsx", our_names=["ООО 'Пример'"])  # quotes do not count
    assert (act.heading, act.opening, len(act.lines)) == (CLIENT, OPENING, 3)
    # printed by them, both halves filled: theirs is the first one
    act = read_their_act(xlsx(tmp_path, sheet(second=ours)), "act.xlsx", our_names=[COMPANY, "Наша организация"])
    assert (act.heading, act.opening) == (CLIENT, OPENING)


def test_without_a_hint_the_first_half_with_a_note(tmp_path: Path) -> None:
    data = xlsx(tmp_path, sheet(second=(0, [TheirLine(D1, "x", 1, 0)])))
    act = read_their_act(data, "act.xlsx", our_names=["ООО «Другое»"])
    assert act.heading == CLIENT
    assert [w.key for w in act.warnings] == ["reconcile.warning.first_half"]
    assert "ООО «Клиент»" in act.warnings[0].text("ru")
    assert read_their_act(data, "act.xlsx").warnings == ()  # nothing to compare with: no note


def test_our_own_act_with_their_half_filled_in(tmp_path: Path) -> None:
    """Our act (act_xlsx) sent back with the client's half typed in: their summary rows carry no words, only
    the amounts, on the rows of ours."""
    book = load_workbook(io.BytesIO(act_xlsx_bytes(make_act(1_000, THREE_AND_THREE), HEADER)))
    ws = book.active
    assert ws is not None
    header = next(r for r in range(1, 40) if ws.cell(r, 1).value == "Дата")
    assert ws.cell(header, 5).value == "Дата"
    ws.cell(header + 1, 7).value = None
    ws.cell(header + 1, 8).value = 1000  # their opening: credit 1 000,00
    ws.cell(header + 2, 5).value = "10.01.2025"
    ws.cell(header + 2, 6).value = "Поступление 1 от 10.01.2025"
    ws.cell(header + 2, 8).value = "49 000,00"
    ws.cell(header + 3, 5).value = date(2025, 1, 16)
    ws.cell(header + 3, 6).value = "Списание с р/с 11"
    ws.cell(header + 3, 7).value = 50000
    ws.cell(header + 8, 8).value = 0  # a turnover typed wrong: 0
    ws.cell(header + 9, 8).value = 0.01  # a closing that does not add up: 1 000 + 49 000 - 50 000 = 0,00
    path = tmp_path / "back.xlsx"
    book.save(path)
    act = read_their_act(path.read_bytes(), "back.xlsx", our_names=[ACT_COMPANY])
    assert act.heading == 'ООО "Ромашка"'
    assert act.opening == -1_000_00
    assert [(x.day, x.debit, x.credit) for x in act.lines] == [
        (date(2025, 1, 10), 0, 49_000_00),
        (date(2025, 1, 16), 50_000_00, 0),
    ]
    assert act.closing == -1
    assert [w.key for w in act.warnings] == ["reconcile.warning.turnover", "reconcile.warning.closing"]
    # printed -0,01 against 0,00 computed: the English text says by how much
    assert "0.01" in act.warnings[1].text("en")
    assert "0,01" in act.warnings[1].text("ru")


def test_one_half_is_theirs_two_digit_years_and_units(tmp_path: Path) -> None:
    data = (
        "Акт сверки\r\nПо данным ООО «Клиент»\r\nДата;Документ;Дебет;Кредит\r\n"
        "Сальдо начальное;;;100,00\r\n15.01.26 0:00:00;Поступление 7 от 15.01.26;;1234.50 руб.\r\n"
        "Сальдо конечное;;;1 334,50\r\n"
    ).encode()
    act = read_their_act(data, "a.csv", our_names=[COMPANY])
    assert act.heading == "ООО «Клиент»"
    assert (act.opening, act.closing) == (-100_00, -1_334_50)
    assert act.lines[0].day == date(2026, 1, 15)
    assert act.turnover is None  # not printed: nothing to check it against


def test_a_closing_that_does_not_add_up_is_a_warning(tmp_path: Path) -> None:
    act = read_their_act(xlsx(tmp_path, sheet(closing=-74_000_00)), "act.xlsx")
    assert [w.key for w in act.warnings] == ["reconcile.warning.closing"]
    # printed -74 000,00, computed -74 957,77: 957,77 more in their closing than in their lines
    assert dict(act.warnings[0].params)["difference"] == 957_77
    assert "957,77" in act.warnings[0].text("ru")


@pytest.mark.parametrize(
    ("name", "data", "key", "words"),
    [
        ("shipments.csv", b"document_id,contract_id,date,amount\nS1,C1,2025-01-10,100\n", "no_table", "Дата"),
        ("act.csv", b"", "empty", "act.csv"),
        ("act.pdf", b"%PDF-1.4 something", "format", "act.pdf"),
        ("act.xlsx", b"PK\x03\x04 not really a zip", "unreadable", "XLSX"),
        ("act.csv", "Дата;Документ;Дебет;Кредит\n15.01.2026;Оплата;много;\n".encode(), "bad_amount", "много"),
        ("act.csv", "Дата;Документ;Дебет;Кредит\n".encode(), "no_rows", "act.csv"),
    ],
)
def test_files_that_are_no_act_are_refused(name: str, data: bytes, key: str, words: str) -> None:
    with pytest.raises(TheirActError) as refused:
        read_their_act(data, name)
    assert refused.value.message.key == f"reconcile.error.{key}"
    assert words in str(refused.value)  # English, one line, for the CLI
    assert "\n" not in str(refused.value)
    russian = refused.value.message.text("ru")
    assert russian != refused.value.message.key
    assert words in russian or key == "unreadable"


def test_a_bad_amount_names_the_row(tmp_path: Path) -> None:
    data = "Акт\r\n\r\nДата;Документ;Дебет;Кредит\r\n15.01.2026;Оплата;12.345;\r\n".encode()
    with pytest.raises(TheirActError) as refused:
        read_their_act(data, "a.csv")
    assert refused.value.message.text("ru") == "Строка 4 акта: «12.345» не сумма."


def test_a_header_in_two_rows_and_slashed_dates() -> None:
    """Some forms print Дата and Документ above a row of Дебет and Кредит; totals rows («Итого») and a
    «Задолженность на …» line carry no date and are no lines."""
    data = (
        "По данным ООО «Клиент», руб.;;;;По данным ООО «Пример», руб.\r\n"
        "Дата;Документ;Сумма;;Дата;Документ;Сумма\r\n"
        ";;Дебет;Кредит;;;Дебет;Кредит\r\n"
        "Сальдо начальное;;;;;;;\r\n"
        "05/02/2026;Платежное поручение № 8;2 000,00;;;;;\r\n"
        "Итого;;2 000,00;;;;;\r\n"
        "Задолженность на 28.02.2026;;2 000,00;;;;;\r\n"
        "Сальдо конечное;;2 000,00;;;;;\r\n"
    ).encode("cp1251")
    act = read_their_act(data, "a.csv", our_names=[COMPANY])
    assert act.heading == CLIENT
    assert [(x.day, x.debit) for x in act.lines] == [(date(2026, 2, 5), 2_000_00)]
    assert (act.opening, act.closing, act.warnings) == (0, 2_000_00, ())


their_lines = st.lists(
    st.tuples(
        st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
        st.text(alphabet="АБВгдё№ -.,()«»0123456789", min_size=1, max_size=40).filter(lambda t: t.strip()),
        st.integers(min_value=1, max_value=99_999_999_999_999),
        st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=their_lines,
    opening=st.integers(min_value=-(10**12), max_value=10**12),
    layout=st.builds(
        Layout,
        row=st.integers(1, 12),
        column=st.integers(1, 6),
        doc_span=st.integers(1, 4),
        amounts_as_text=st.booleans(),
        dates_as_text=st.booleans(),
        label_in_date=st.booleans(),
    ),
    as_csv=st.booleans(),
)
def test_any_act_reads_back_as_written(
    tmp_path: Path, lines: list[tuple[date, str, int, bool]], opening: int, layout: Layout, as_csv: bool
) -> None:
    written = [
        TheirLine(day, text.strip(), amount if debit else 0, 0 if debit else amount)
        for day, text, amount, debit in lines
    ]
    the_sheet = sheet(layout, first=(opening, written))
    data = csv_bytes(the_sheet) if as_csv else xlsx(tmp_path, the_sheet)
    act = read_their_act(data, "act.csv" if as_csv else "act.xlsx", our_names=[COMPANY])
    assert [(x.day, x.document, x.debit, x.credit) for x in act.lines] == [
        (x.day, x.document, x.debit, x.credit) for x in written
    ]
    assert act.opening == opening
    assert act.closing == act.computed_closing
    assert act.warnings == ()


def test_balances_named_by_their_dates() -> None:
    """«Сальдо на 01.01.2026» before the lines is the opening, after them the closing; «Итого обороты»."""
    data = (
        "Дата;Документ;Дебет;Кредит\r\n"
        "Сальдо на 01.01.2026;;;500,00\r\n"
        "10.01.2026;Поступление 3 от 10.01.2026;;100,00\r\n"
        "Итого обороты;;0,00;100,00\r\n"
        "Сальдо на 31.01.2026;;;600,00\r\n"
    ).encode()
    act = read_their_act(data, "a.csv")
    assert (act.opening, act.turnover, act.closing) == (-500_00, (0, 100_00), -600_00)
    assert len(act.lines) == 1
    assert act.warnings == ()


def test_their_name_decides_when_no_half_names_us(tmp_path: Path) -> None:
    """Our act printed under an old company name, sent back filled: no half names us as we are called now,
    but the second half names the client: that one is theirs."""
    ours = (1_500_00, [TheirLine(date(2026, 1, 15), "Реализация 123", 123_456_78, 0)])
    printed = sheet(first_name="ООО «Старое имя»", second_name=CLIENT, first=ours, second=(OPENING, LINES))
    data = xlsx(tmp_path, printed)
    act = read_their_act(data, "act.xlsx", our_names=[COMPANY], their_names=["ООО 'Клиент'"])
    assert (act.heading, act.opening, len(act.lines), act.warnings) == (CLIENT, OPENING, 3, ())
    act = read_their_act(data, "act.xlsx", our_names=[COMPANY])  # without it: the first half, with a note
    assert (act.heading, [w.key for w in act.warnings]) == ("ООО «Старое имя»", ["reconcile.warning.first_half"])
