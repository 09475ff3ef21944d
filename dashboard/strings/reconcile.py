"""Strings of the two-sided reconciliation (dashboard/services/their_act.py, reconcile.py, reconcile_xlsx.py)."""

STRINGS = {
    "reconcile.error.empty": {"ru": "Файл {name} пуст.", "en": "The file {name} is empty."},
    "reconcile.error.format": {
        "ru": "Файл {name} не XLSX и не CSV: сохраните акт сверки из 1С в XLSX или CSV.",
        "en": "The file {name} is neither XLSX nor CSV: save the act from 1C as XLSX or CSV.",
    },
    "reconcile.error.unreadable": {
        "ru": "Файл не читается как акт сверки: {reason}",
        "en": "The file cannot be read as an act: {reason}",
    },
    "reconcile.error.no_table": {
        "ru": "В файле {name} нет таблицы акта сверки: не найдена строка с колонками «Дата», «Документ», "
        "«Дебет», «Кредит».",
        "en": "The file {name} holds no reconciliation act: no row with the headings Дата, Документ, Дебет, "
        "Кредит (date, document, debit, credit).",
    },
    "reconcile.error.no_rows": {
        "ru": "В акте из файла {name} половина контрагента пуста: нет ни сальдо, ни документов.",
        "en": "The counterparty's half of the act in {name} is empty: no balances and no documents.",
    },
    "reconcile.error.bad_amount": {
        "ru": "Строка {row} акта: «{value}» не сумма.",
        "en": "Row {row} of the act: «{value}» is not an amount.",
    },
    "reconcile.warning.first_half": {
        "ru": "Ни одна половина акта не названа нашей организацией; данными контрагента считается первая "
        "(«По данным {heading}»).",
        "en": "Neither half of the act names our company; the first one («По данным {heading}») is taken as "
        "the counterparty's.",
    },
    "reconcile.warning.period": {
        "ru": "Акт контрагента составлен за период {their_from} – {their_to}, а сверяется с нашим за {from} – {to}: "
        "выберите тот же период, иначе расхождения будут мнимыми.",
        "en": "The counterparty's act covers {their_from} – {their_to}, ours {from} – {to}: choose the same period, "
        "or the differences are not real ones.",
    },
    "reconcile.warning.no_opening": {
        "ru": "В акте контрагента нет строки «Сальдо начальное»: начальное сальдо принято равным нулю.",
        "en": "The counterparty's act has no «Сальдо начальное» row: its opening balance is taken as zero.",
    },
    "reconcile.warning.turnover": {
        "ru": "Обороты в акте контрагента ({printed_debit} / {printed_credit}) не равны сумме его строк "
        "({debit} / {credit}).",
        "en": "The turnover printed in the counterparty's act ({printed_debit} / {printed_credit}) is not the "
        "sum of its lines ({debit} / {credit}).",
    },
    "reconcile.warning.closing": {
        "ru": "Конечное сальдо в акте контрагента ({printed}) не равно начальному сальдо плюс его строки "
        "({computed}): расхождение {difference} внутри их акта.",
        "en": "The closing balance printed in the counterparty's act ({printed}) is not its opening balance "
        "plus its lines ({computed}): {difference} of difference within their own act.",
    },
}

STRINGS |= {
    "reconcile.status.matched": {"ru": "Совпадает", "en": "Matched"},
    "reconcile.status.date_differs": {"ru": "Другая дата", "en": "Date differs"},
    "reconcile.status.amount_differs": {"ru": "Другая сумма", "en": "Amount differs"},
    "reconcile.status.only_ours": {"ru": "Только у нас", "en": "Only in our books"},
    "reconcile.status.only_theirs": {"ru": "Только у контрагента", "en": "Only in theirs"},
    "reconcile.status.opening": {"ru": "Начальное сальдо", "en": "Opening balance"},
    "reconcile.status.balance": {"ru": "Конечное сальдо", "en": "Closing balance"},
    "reconcile.col.status": {"ru": "Статус", "en": "Status"},
    "reconcile.col.our_date": {"ru": "Дата у нас", "en": "Our date"},
    "reconcile.col.our_document": {"ru": "Документ у нас", "en": "Our document"},
    "reconcile.col.our_amount": {"ru": "Сумма у нас", "en": "Our amount"},
    "reconcile.col.their_date": {"ru": "Дата у контрагента", "en": "Their date"},
    "reconcile.col.their_document": {"ru": "Документ у контрагента", "en": "Their document"},
    "reconcile.col.their_amount": {"ru": "Сумма у контрагента", "en": "Their amount"},
    "reconcile.col.difference": {"ru": "Разница", "en": "Difference"},
    "reconcile.xlsx.sheet_act": {"ru": "Акт сверки", "en": "Reconciliation act"},
    "reconcile.xlsx.sheet_table": {"ru": "Расхождения", "en": "Differences"},
    "reconcile.xlsx.status": {"ru": "Расхождение", "en": "Difference"},
    "reconcile.xlsx.difference": {"ru": "Разница", "en": "Amount"},
    "reconcile.xlsx.legend": {"ru": "Условные обозначения", "en": "Legend"},
    "reconcile.xlsx.balances": {"ru": "Сальдо расходятся", "en": "Balances differ"},
    "reconcile.xlsx.signs": {
        "ru": "Суммы сверки — с нашей стороны: «+» увеличивает долг контрагента перед нами; разница = у нас − у "
        "контрагента.",
        "en": "Amounts are signed from our side: + raises what the counterparty owes us; difference = ours − theirs.",
    },
    "reconcile.explain.title": {
        "ru": "Разница конечных сальдо {amount} складывается из:",
        "en": "The closing balances differ by {amount}, made of:",
    },
    "reconcile.explain.none": {
        "ru": "Конечные сальдо сходятся.",
        "en": "The closing balances agree.",
    },
    "reconcile.part.opening": {"ru": "разницы начальных сальдо", "en": "the opening balances' difference"},
    "reconcile.part.matched": {"ru": "совпавших строк", "en": "matched lines"},
    "reconcile.part.date_differs": {"ru": "строк с другой датой", "en": "lines with another date"},
    "reconcile.part.amount_differs": {"ru": "разницы в суммах документов", "en": "documents' amount differences"},
    "reconcile.part.only_ours": {"ru": "документов, которых нет у контрагента", "en": "documents missing from theirs"},
    "reconcile.part.only_theirs": {"ru": "документов, которых нет у нас", "en": "documents missing from ours"},
    "reconcile.part.inconsistency": {
        "ru": "несходства внутри акта контрагента (конечное сальдо ≠ начальное + строки)",
        "en": "their act not adding up (closing ≠ opening + lines)",
    },
    "reconcile.xlsx.warnings": {"ru": "Замечания к акту контрагента", "en": "Notes on the counterparty's act"},
}
