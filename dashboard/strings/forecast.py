"""Strings of the cash-in forecast page (pages/forecast.py) and the card's expected dates."""

STRINGS = {
    "forecast.title": {"ru": "Прогноз поступлений", "en": "Cash-in forecast"},
    "forecast.intro": {
        "ru": "Сколько денег придёт по долгу, открытому на {day}, в ближайшие 13 недель: по срокам оплаты "
        "(«по договору») и с учётом того, как каждый клиент на самом деле платит («ожидается»).",
        "en": "What the debt open on {day} is expected to bring in over the next 13 weeks: by due dates "
        "(«contractual») and as each client actually pays («expected»).",
    },
    "forecast.nothing": {
        "ru": "На {day} открытого долга в {currency} нет: ждать нечего.",
        "en": "Nothing is owed in {currency} on {day}: no cash-in to expect.",
    },
    "forecast.tile.week": {"ru": "Ожидается за неделю", "en": "Expected next week"},
    "forecast.tile.month": {"ru": "Ожидается за 4 недели", "en": "Expected in 4 weeks"},
    "forecast.tile.quarter": {"ru": "Ожидается за 13 недель", "en": "Expected in 13 weeks"},
    "forecast.tile.by_due": {"ru": "по договору {amount}", "en": "{amount} by due dates"},
    "forecast.tile.band": {
        "ru": "С вероятностью 80 %: от {low} до {high}.",
        "en": "With 80 % probability: {low} to {high}.",
    },
    "forecast.chart": {"ru": "По неделям: по договору и ожидается", "en": "By week: contractual and expected"},
    "forecast.series.contractual": {"ru": "По договору (по срокам)", "en": "Contractual (by due date)"},
    "forecast.series.expected": {"ru": "Ожидается", "en": "Expected"},
    "forecast.series.band": {"ru": "Диапазон 80 %", "en": "80 % band"},
    "forecast.chart_caption": {
        "ru": "Неделя — 7 дней начиная со дня после {day}. «По договору»: открытый долг по сроку оплаты, "
        "просроченный — в первой неделе. «Ожидается»: по истории оплат каждого клиента относительно сроков "
        "(недавние оплаты весят больше; при короткой истории — по его группе и по всем клиентам). Полоса: "
        "в 8 неделях из 10 поступления должны попасть в неё.",
        "en": "A week is 7 days from the day after {day}. «Contractual»: the open debt by due date, what is "
        "overdue in the first week. «Expected»: from each client's history of paying against due dates (recent "
        "payments weigh more; with a short history, its group's and everyone's). The band: 8 weeks in 10 the "
        "cash-in should fall inside it.",
    },
    "forecast.table": {"ru": "13 недель", "en": "13 weeks"},
    "forecast.col.start": {"ru": "С", "en": "From"},
    "forecast.col.date": {"ru": "По", "en": "To"},
    "forecast.col.contractual": {"ru": "По договору", "en": "Contractual"},
    "forecast.col.expected": {"ru": "Ожидается", "en": "Expected"},
    "forecast.col.low": {"ru": "Не менее (80 %)", "en": "At least (80 %)"},
    "forecast.col.high": {"ru": "Не более (80 %)", "en": "At most (80 %)"},
    "forecast.documents": {"ru": "Документы и ожидаемые даты оплаты", "en": "Documents and expected payment dates"},
    "forecast.col.counterparty_name": {"ru": "Контрагент", "en": "Counterparty"},
    "forecast.col.number": {"ru": "Документ", "en": "Document"},
    "forecast.col.due_date": {"ru": "Срок оплаты", "en": "Due date"},
    "forecast.col.open": {"ru": "Не оплачено", "en": "Open"},
    "forecast.col.expected_date": {"ru": "Ожидаемая оплата", "en": "Expected payment"},
    "forecast.col.p_30": {"ru": "Вероятность за 30 дней, %", "en": "Chance within 30 days, %"},
    "forecast.documents_caption": {
        "ru": "Ожидаемая дата — день, к которому документ будет оплачен с вероятностью 50 %, с учётом того, "
        "что на {day} он ещё не оплачен. Всегда позже {day}.",
        "en": "The expected date is the day by which the document is paid with a 50 % chance, given it is "
        "still unpaid on {day}. Always after {day}.",
    },
    # The XLSX of `export forecast --language ru|en` (dashboard.services.exports.headers); the CSV keeps the
    # contract's column names.
    "export.col.contractual": {"ru": "По договору", "en": "Contractual"},
    "export.col.expected": {"ru": "Ожидается", "en": "Expected"},
    "export.col.low": {"ru": "Не менее (80 %)", "en": "At least (80 %)"},
    "export.col.high": {"ru": "Не более (80 %)", "en": "At most (80 %)"},
    "export.col.due_date": {"ru": "Срок оплаты", "en": "Due date"},
    "export.col.open": {"ru": "Не оплачено", "en": "Open"},
    "export.col.expected_date": {"ru": "Ожидаемая оплата", "en": "Expected payment"},
}
