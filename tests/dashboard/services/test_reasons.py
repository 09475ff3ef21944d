"""Reasons of the load in the reader's language (dashboard/services/reasons.py over dashboard/strings/reasons.py).

Every reason is made by running the load on bad input (tests/helpers/reasons.py, tests/helpers/reason_files.py)
and must read in Russian exactly as RUSSIAN says: a reason reworded in the load is no longer known and stays in
English, and the test names it. Every entry of the catalog must render at least one of them, so no entry
outlives its reason. English readers get the stored text as it is.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest

from dashboard.services.reasons import reason_in, reason_keys, reasons_in
from dashboard.strings.reasons import STRINGS
from tests.helpers.reason_files import file_reasons
from tests.helpers.reasons import load_reasons, value_reasons
from warehouse.engine import ensure_schema, make_engine

# Example name: the catalog entries it is made of, joined by "+" ("#..." tells two examples of one entry apart).
RUSSIAN = {
    "required_value": "обязательное значение не заполнено",
    "id_too_long": "идентификатор длиннее 128 символов",
    "required_date": "обязательная дата не заполнена",
    "required_amount": "обязательная сумма не заполнена",
    "amount_positive": "сумма должна быть больше нуля",
    "amount_not_zero": "сумма не должна быть нулевой",
    "calendar_kind": "вид дня должен быть «выходной» или «рабочий» (holiday или workday)",
    "counterparty_deleted": (
        "контрагент помечен на удаление: он не загружен, а загрузка никогда не удаляет контрагентов, уже "
        "имеющихся в хранилище"
    ),
    "contract_deleted": (
        "договор помечен на удаление: он не загружен, а загрузка никогда не удаляет договоры, уже имеющиеся в хранилище"
    ),
    "kpp+loads_without": (
        "КПП должен состоять из 9 символов (4 цифры, затем 2 цифры или буквы, затем 3 цифры); строка "
        "загружена без этого значения"
    ),
    "email+loads_without": "это не адрес электронной почты; строка загружена без этого значения",
    "email+loads_with_others": "это не адрес электронной почты; строка загружена с остальными адресами",
    "terms_too_long": "отсрочка платежа больше 3\xa0650 дней похожа на ошибку",
    "terms_basis": "вид срока (terms_basis) должен быть calendar или working (календарные или рабочие дни)",
    "negative_limit": "кредитный лимит не может быть отрицательным (если лимита нет, оставьте поле пустым)",
    "vat_range+loads_without": "НДС должен быть от 0 до суммы документа; строка загружена без этого значения",
    "payment_reference": "в оплате должен быть указан договор (contract_id) или контрагент (counterparty_id)",
    "value_too_long": "длина значения — 2\xa0500 символов; допустимо не более 2\xa0000",
    "value_too_long+loads_without": (
        "длина значения — 12\xa0345 символов; допустимо не более 2\xa0000; строка загружена без этого значения"
    ),
    "one_column": (
        "вся строка попала в один столбец: похоже, значения в ней разделены не тем разделителем, что в заголовке"
    ),
    "date_range": "дата вне допустимого диапазона: 1900-01-01 (год должен быть от 1990 до 2100)",
    "no_such_month": "это не дата: 2025-13-01 (месяца с номером 13 нет)",
    "no_such_day": "это не дата: 31.02.2025 (в феврале 2025 года 28 дней)",
    "no_such_day#31": "это не дата: 2025-01-32 (в январе 2025 года 31 день)",
    "date_empty": "дата не заполнена",
    "date_format": "это не дата: вчера (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)",
    "date_time": "это не дата: 2025-03-01 25:00 (такого времени суток не бывает)",
    "not_yes_no": "это не значение «да/нет»: может быть (ожидается 1/0, true/false, yes/no, да/нет)",
    "number_empty": "число не заполнено",
    "not_whole": "это не целое число: 10,5",
    "number_too_large": "слишком большое число: 1111111111111111111111111",
    "at_least": "значение должно быть не меньше 0: -5",
    "inn_digits+loads_without": "ИНН должен состоять только из цифр: 77О7083893; строка загружена без этого значения",
    "inn_length_zero+loads_without": (
        "в ИНН должно быть 10 или 12 цифр: 100000004 (цифр: 9; Excel мог потерять ведущий ноль — ИНН "
        "0100000004 был бы верным); строка загружена без этого значения"
    ),
    "inn_length+loads_without": (
        "в ИНН должно быть 10 или 12 цифр: 12345 (цифр: 5); строка загружена без этого значения"
    ),
    "inn_check+loads_without": "ИНН 7707083894: неверное контрольное число; строка загружена без этого значения",
    "not_email": "это не адрес электронной почты: бухгалтерия",
    "amount_empty": "сумма не заполнена",
    "decimal_twice": "это не сумма: 1,234.5.6 (здесь «.» — десятичный разделитель, а он встречается дважды)",
    "mixed_groups": "это не сумма: 1 234,567.00 (разряды разделены то пробелами, то «,»)",
    "space_after_mark": "это не сумма: 1 234,5 6 (пробел после десятичного разделителя)",
    "groups_of_three": "это не сумма: 12 34,00 (между разделителями разрядов должно быть по три цифры)",
    "not_amount": "это не сумма: много",
    "decimals_comma": (
        "в сумме больше двух знаков после запятой: 1,234 (запятая прочитана как десятичный разделитель)"
    ),
    "decimals": "в сумме больше двух знаков после запятой: 1.234",
    "amount_too_large": "слишком большая сумма: 1111111111111111 (в рублях больше 15 цифр)",
    "currency": "валюта должна быть трёхбуквенным кодом ISO, например RUB (или руб., 643, USD, долл., EUR, евро)",
    "unknown_contract": "договор не найден",
    "contract_of_other": "договор C1 относится к контрагенту K1",
    "same_name": "так называются несколько контрагентов: K1, K3",
    "no_such_counterparty": "контрагент не найден (нет такого кода, ИНН или наименования)",
    "no_such_counterparty+similar": (
        "контрагент не найден (нет такого кода, ИНН или наименования); похожие: ооо ромашка"
    ),
    "contracts_of_match": (
        "подходят несколько договоров контрагента K1: Договор № Д-1/25 от 01.01.2025 (C1), Договор № Д-1/25 "
        "от 04.02.2025 (C4), Договор № Д-1/25 от 05.02.2025 (C5), Договор № Д-1/25 от 06.02.2025 (C6), "
        "Договор № Д-1/25 от 07.02.2025 (C7) и ещё 1"
    ),
    "contracts_match": (
        "подходят несколько договоров: Договор № Д-1/25 от 01.01.2025 (C1), Договор № Д-1/25 от 04.02.2025 "
        "(C4), Договор № Д-1/25 от 05.02.2025 (C5), Договор № Д-1/25 от 06.02.2025 (C6), Договор № Д-1/25 от "
        "07.02.2025 (C7) и ещё 1"
    ),
    "unknown_contract_of+its_contracts": (
        "у контрагента K2 нет такого договора; его договоры: Договор № П-7 от 01.01.2025 (C3)"
    ),
    "several": (
        "договор не указан, а у контрагента K1 несколько договоров: Договор № Д-1/25 от 01.01.2025 (C1), "
        "Договор № Д-2/25 от 01.01.2025 (C2), Договор № Д-1/25 от 04.02.2025 (C4), Договор № Д-1/25 от "
        "05.02.2025 (C5), Договор № Д-1/25 от 06.02.2025 (C6) и ещё 2"
    ),
    "none": "договор не указан, а у контрагента K3 нет договоров",
    "duplicate_key": "ключ повторяется: такой же document_id уже есть в строке 2 этого файла",
    "contract_currency": "договор C1 заключён в валюте RUB",
    "unknown_shipment": "отгрузка не найдена",
    "shipment_of_other": "отгрузка относится к контрагенту K1",
    "unknown_payment": "оплата не найдена",
    "shipment_and_payment": "отгрузка относится к контрагенту K2, а оплата — к контрагенту K1",
    "row_too_wide": "в строке 6 значений, а в заголовке 4 столбца",
    "swapped_dates": (
        "в столбце date вперемешку 1 дата и 1 текст вида 1/13/2025 (месяц впереди): это файл в американском "
        "формате, открытый в Excel с русскими настройками, поэтому в остальных датах день и месяц могли "
        "поменяться местами. Откройте исходный CSV, загрузив даты как текст, или выгрузите файл из 1С заново"
    ),
    "columns_missing": (
        "нет обязательных столбцов: date, amount (в файле «Отгрузки» нужны столбцы document_id, contract_id, "
        "date, amount)"
    ),
    "column_missing": (
        "нет обязательного столбца: amount (в файле «Отгрузки» нужны столбцы document_id, contract_id, date, amount)"
    ),
    "column_twice": "столбец 'amount' встречается в заголовке дважды",
    "xls": "старый формат Excel .xls не поддерживается: сохраните файл как .xlsx или CSV",
    "file_type": "тип файла .pdf не поддерживается: нужен CSV или XLSX",
    "no_extension": "у файла нет расширения: нужен CSV или XLSX",
    "no_header": "в файле нет строки заголовка",
    "not_source": (
        "это не файл с данными: имя не начинается с названия сущности (calendar, counterparties, contracts, "
        "opening_balances, shipments, returns, adjustments, payments, allocations), это не банковская выписка "
        "1С (её первая строка — 1CClientBankExchange) и не XML-файл УПД/УКД"
    ),
    "no_company_inn": (
        "не задан ИНН компании (inn в разделе [company] конфигурации): без него УПД компании не отличить от "
        "УПД поставщика, поэтому из этого файла ЭДО ничего не загружено"
    ),
    "several_in": (
        "договор не указан, а у контрагента K1 несколько договоров в валюте RUB: Договор № Д-1/25 от "
        "01.01.2025 (C1), Договор № Д-2/25 от 01.01.2025 (C2), Договор № Д-1/25 от 04.02.2025 (C4), Договор № "
        "Д-1/25 от 05.02.2025 (C5), Договор № Д-1/25 от 06.02.2025 (C6) и ещё 2"
    ),
    "none_in": "договор не указан, а у контрагента K1 нет договоров в валюте USD",
    "skipped": "файл не распознан (имя не начинается с названия сущности)",
    "unknown_counterparty": "контрагент не найден",
    "payer_unknown": "плательщик этой оплаты ещё не опознан",
    "csv_xlsx": "это книга XLSX (или другой ZIP-архив), а не текст CSV: дайте файлу расширение .xlsx",
    "csv_xls": "это книга старого формата Excel .xls, а не текст CSV: сохраните её как .xlsx или CSV",
    "csv_utf16": "файл похож на текст в UTF-16 без метки порядка байтов: сохраните его в UTF-8 или Windows-1251",
    "csv_binary": "это двоичный файл, а не текст CSV",
    "csv_bom": (
        "файл начинается с метки UTF-8, но строка 2 не в UTF-8 (текст в Windows-1251, сохранённый с меткой "
        "UTF-8?): сохраните его заново в UTF-8 или Windows-1251"
    ),
    "csv_utf16_bad": "файл помечен как UTF-16, но в этой кодировке не читается",
    "csv_mixed": (
        "в файле смешаны кодировки: строка 2 в UTF-8, а строка 3 — нет (Windows-1251?): сохраните весь файл в "
        "одной кодировке"
    ),
    "csv_bad_byte": "текст не в UTF-8 и не в Windows-1251 (недопустимый байт в строке 2)",
    "csv_dos": "текст не в UTF-8 и не в Windows-1251 (DOS/CP866?): сохраните файл в UTF-8 или Windows-1251",
    "file_empty": "файл пуст",
    "csv_nul": "в строке 1002 символ NUL: это двоичные данные, а не текст CSV",
    "csv_unclosed": 'значение в кавычках, начатое в строке 2, не закрыто (не хватает ")',
    "csv_stray_quote": 'строка 2: после закрывающей кавычки идёт текст; кавычку внутри значения нужно удваивать ("")',
    "csv_broken": "структура CSV нарушена около строки 7 (new-line character seen in unquoted field)",
    "xlsx_no_workbook": "книга XLSX не читается (файл повреждён или обрезан): в ней нет основной части (workbook)",
    "xlsx_no_sheet": "книга XLSX не читается (файл повреждён или обрезан): нет листа 'Sheet1'",
    "xlsx_beyond_xfd": (
        "книга XLSX не читается (файл повреждён или обрезан): ссылка на ячейку 'XFE' выходит за последний столбец XFD"
    ),
    "xlsx_shared": (
        "книга XLSX не читается (файл повреждён или обрезан): ячейка ссылается на несуществующую общую строку"
    ),
    "xlsx_no_sheets": "в книге XLSX нет ни одного листа",
    "xlsx_damaged": "книга XLSX не читается (файл повреждён или обрезан)",
    "xlsx_empty": "файл пуст, это не книга XLSX",
    "xlsx_protected": (
        "это не книга XLSX, а старый файл .xls или книга, защищённая паролем: сохраните её в Excel как .xlsx без пароля"
    ),
    "cannot_open": "файл не открывается: Is a directory",
    "bank_amount_missing": "не указана сумма (Сумма)",
    "bank_amount_positive": "сумма (Сумма) должна быть больше нуля",
    "bank_amount_nan": "сумма (Сумма) — не число",
    "bank_decimals": "в сумме (Сумма) больше двух знаков после запятой",
    "bank_date_missing": "не указана дата (Дата)",
    "bank_date_bad": "дата (Дата) — не дата в формате ДД.ММ.ГГГГ",
    "bank_received_bad": "дата поступления (ДатаПоступило) — не дата в формате ДД.ММ.ГГГГ",
    "bank_document_cut": "выписка обрывается: у документа в строке 5 нет КонецДокумента",
    "bank_no_end": (
        "выписка обрывается: в её конце нет КонецФайла, поэтому документы после последнего прочитанного могли "
        "потеряться: выгрузите выписку заново"
    ),
    "bank_magic": "это не банковская выписка 1С: первой строкой должно быть 1CClientBankExchange",
    "bank_utf16": (
        "выписка в кодировке UTF-16, а 1С сохраняет выписки в Windows-1251, CP866 или UTF-8: выгрузите её "
        "заново в Windows-1251"
    ),
    "bank_binary": "это не банковская выписка 1С: в файле двоичные данные",
    "bank_encoding": (
        "кодировка выписки не распознана (ни одно из ключевых слов, например СекцияДокумент, не читается ни в "
        "Windows-1251, ни в CP866, ни в UTF-8): выгрузите выписку заново в Windows-1251"
    ),
    "bank_bad_byte": "текст выписки не в UTF-8 и не в Windows-1251 (байт 0x98 по смещению 111)",
    "bank_mixed": "в выписке смешаны кодировки: строка 13 в UTF-8, а строка 2 — нет: выгрузите выписку заново",
    "bank_empty": "файл пуст, это не банковская выписка 1С",
    "cannot_read": "не удаётся прочитать файл: No such file or directory",
    "zip_bad": "это не ZIP-архив или архив повреждён: File is not a zip file",
    "zip_unsafe": "в архиве у этого файла абсолютный путь или путь с «..»: файл пропущен",
    "zip_large": "в распакованном виде 50,0 МБ, больше допустимых 50,0 МБ: файл пропущен",
    "zip_larger": "в распакованном виде больше 50,0 МБ: файл пропущен без чтения",
    "zip_unpack": "не распаковывается: Bad CRC-32 for file 'a.xml'",
    "not_upd+not_xml": "это не УПД и не УКД: это не файл XML",
    "not_upd+file_empty": "это не УПД и не УКД: файл пуст",
    "xml_too_large": "размер файла 50,0 МБ, больше 50,0 МБ: таких больших УПД не бывает",
    "edo_no_extension": "выгрузка ЭДО — это файл .xml или архив .zip, а не файл без расширения",
    "edo_suffix": "выгрузка ЭДО — это файл .xml или архив .zip, а не .txt",
    "xml_encoding": "в объявлении XML указана неизвестная кодировка: x-nope",
    "not_fns": "это не электронный документ в формате ФНС: корневой элемент — <html>, а не <Файл>",
    "no_document_head": "в начале файла нет элемента <Документ>",
    "buyer_title": "КНД 1115132: титул покупателя УПД (ON_NSCHFDOPPOK), а не документ продавца",
    "old_invoice": "КНД 1115101: счёт-фактура в формате до 2017 года (ON_SFAKT), а не УПД",
    "not_upd+knd_codes": "это не УПД и не УКД: КНД (не указан) — не УПД (1115131) и не УКД (1115133, 1115127)",
    "knd": "КНД 1115999 — не УПД и не УКД",
    "xml_malformed": "ошибка в XML в строке 1, позиция 19: mismatched tag",
    "xml_dtd": (
        "в XML объявлены DTD или сущности (DTDForbidden), чего не бывает ни в одном документе ЭДО: файл "
        "отклонён без чтения ради безопасности"
    ),
    "xml_unreadable": "XML не читается: unknown encoding: x-nope",
    "root": "корневой элемент — <Other>, а не <Файл>",
    "no_document": "в файле нет элемента <Документ>",
    "upd_no_header": "в УПД нет <СвСчФакт> (номера, даты и сторон документа)",
    "upd_no_totals": "в УПД нет итогов (ТаблСчФакт/ВсегоОпл)",
    "upd_no_total": "нет атрибута ВсегоОпл/@СтТовУчНалВсего (итог с НДС)",
    "missing_attribute": "нет атрибута СвСчФакт/@НомерСчФ или @НомерДок",
    "document_date+no_such_day": "СвСчФакт: дата документа: это не дата: 30.02.2025 (в феврале 2025 года 28 дней)",
    "basis_date+date_format": (
        "СвПродПер/СвПер/ОснПер: дата основания: это не дата: вчера (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)"
    ),
    "edo_value+not_amount": "ВсегоОпл/@СтТовУчНалВсего: это не сумма: сто",
    "ukd_no_change": "в УКД нет изменения итога (ТаблКСчФ/ВсегоУвел или ВсегоУм)",
    "ukd_no_header": "в УКД нет <СвКСчФ> (номера, даты и сторон документа)",
    "ukd_no_corrected": "в УКД не указан исправляемый документ (СвКСчФ/СчФ)",
    "corrected_date+no_such_day": (
        "СвКСчФ/СчФ: дата исправляемого документа: это не дата: 2025-02-30 (в феврале 2025 года 28 дней)"
    ),
    "edo_mine+edo_other": "документов компании: 9 из 11; прочих файлов пропущено: 2",
}


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Every example's reason as the load gives it."""
    tmp_path = tmp_path_factory.mktemp("reasons")
    engine = make_engine(f"sqlite:///{tmp_path / 'warehouse.db'}", pooled=False)
    ensure_schema(engine)
    files = tmp_path / "files"
    files.mkdir()
    try:
        yield {**value_reasons(), **load_reasons(engine, tmp_path), **file_reasons(files)}
    finally:
        engine.dispose()


def entries(example: str) -> list[str]:
    return [f"reason.{name}" for name in example.split("#", maxsplit=1)[0].split("+")]


def test_every_example_has_its_reading(real: dict[str, str]) -> None:
    assert sorted(real) == sorted(RUSSIAN)


@pytest.mark.parametrize("example", list(RUSSIAN))
def test_a_reason_reads_in_russian(real: dict[str, str], example: str) -> None:
    reason = real[example]
    assert reason_in(reason, "ru") == RUSSIAN[example], reason
    assert reason_keys(reason) == entries(example), reason


def test_every_entry_renders_a_reason_of_the_load(real: dict[str, str]) -> None:
    rendered = {key for reason in real.values() for key in reason_keys(reason)}
    assert sorted(set(STRINGS) - rendered) == []


def test_english_readers_get_the_stored_text(real: dict[str, str]) -> None:
    for reason in real.values():
        assert reason_in(reason, "en") == reason


def test_a_reason_no_entry_knows_stays_as_stored() -> None:
    assert reason_in("the moon is made of cheese", "ru") == "the moon is made of cheese"
    assert reason_in("", "ru") == ""
    # A known part around an unknown one is read; the unknown one is kept, nothing lost.
    assert (
        reason_in("the moon is made of cheese; the row loads without it", "ru")
        == "the moon is made of cheese; строка загружена без этого значения"
    )
    # A value that looks like a part of a reason stays inside its value.
    assert reason_in("not an amount: 1; 2", "ru") == "это не сумма: 1; 2"
    assert reason_in("not a УПД or УКД: something else", "ru") == "это не УПД и не УКД: something else"


def test_a_column_of_reasons_keeps_its_order_its_nulls_and_the_reasons_no_entry_knows() -> None:
    reasons = pl.Series("reason", ["unknown contract", None, "unknown contract", "the moon", "amount is empty"])
    assert reasons_in(reasons, "ru").to_list() == [
        "договор не найден",
        None,
        "договор не найден",
        "the moon",
        "сумма не заполнена",
    ]
    assert reasons_in(reasons, "en").to_list() == reasons.to_list()
    assert reasons_in(pl.Series("reason", [], dtype=pl.String), "ru").to_list() == []
