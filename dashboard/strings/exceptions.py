"""Strings of the page «Исключения» (pages/exceptions.py), and the sentences of its rows
(exceptions.detail.*, worded column-wise by dashboard.services.wording from queries.exceptions' facts)."""

STRINGS = {
    "exceptions.page": {"ru": "Исключения", "en": "Exceptions"},
    "exceptions.summary": {
        "ru": "На {day} исключений: {total}, из них высокой важности {high}.",
        "en": "As of {day}: {total} exceptions, {high} of them high severity.",
    },
    "exceptions.all_clear": {
        "ru": "Исключений нет: всё оплачено в срок, лимиты соблюдены, загрузка без ошибок.",
        "en": "No exceptions: everything is paid on time, limits hold, the load had no errors.",
    },
    "exceptions.download_all": {"ru": "Скачать все исключения (Excel)", "en": "Download all exceptions (Excel)"},
    "exceptions.none_here": {"ru": "Здесь пусто.", "en": "Nothing here."},
    "exceptions.call_first": {"ru": "Кому звонить первым ({count})", "en": "Who to call first ({count})"},
    "exceptions.call_first_about": {
        "ru": "Контрагенты по весу их исключений: просроченные суммы с весом по возрасту (месяц просрочки — "
        "вдвое, до 180 дней), плюс превышение лимита, плюс четверть отгрузок при просрочке. Первая десятая "
        "часть — высокая важность, следующие три десятых — средняя. Подробности — на карточке и во вкладках ниже.",
        "en": "Counterparties by the weight of their exceptions: overdue amounts weighted by age (a month late "
        "counts twice, up to 180 days), plus the excess over the credit limit, plus a quarter of the shipments "
        "made while overdue. The top tenth is high severity, the next three tenths medium. Details: the card, "
        "and the tabs below.",
    },
    "exceptions.priority.rank": {"ru": "№", "en": "#"},
    "exceptions.priority.priority": {"ru": "Важность", "en": "Severity"},
    "exceptions.priority.counterparty_name": {"ru": "Контрагент", "en": "Counterparty"},
    "exceptions.priority.score": {"ru": "Вес", "en": "Weight"},
    "exceptions.priority.overdue": {"ru": "Просрочено", "en": "Overdue"},
    "exceptions.priority.max_days_overdue": {"ru": "Макс. дней просрочки", "en": "Max days overdue"},
    "exceptions.priority.n_overdue": {"ru": "Документов просрочено", "en": "Documents overdue"},
    "exceptions.priority.n_shipped_while_overdue": {"ru": "Отгрузок при просрочке", "en": "Shipped while overdue"},
    "exceptions.priority.n_credit_limit_exceeded": {"ru": "Лимит превышен", "en": "Limit exceeded"},
    "exceptions.priority.n_due_before_date": {"ru": "Срок раньше даты", "en": "Due before its date"},
    "exceptions.priority.currency": {"ru": "Валюта", "en": "Currency"},
    "exceptions.tab.overdue": {"ru": "Просрочка", "en": "Overdue"},
    "exceptions.tab.shipped_while_overdue": {"ru": "Отгрузки при просрочке", "en": "Shipped while overdue"},
    "exceptions.tab.credit_limit_exceeded": {"ru": "Превышен лимит", "en": "Over credit limit"},
    "exceptions.tab.broken_promise": {"ru": "Нарушенные обещания", "en": "Broken promises"},
    "exceptions.tab.disputed": {"ru": "Спорные документы", "en": "Disputed documents"},
    "exceptions.tab.no_payment_recently": {"ru": "Давно не платят", "en": "No recent payments"},
    "exceptions.tab.due_today": {"ru": "Срок сегодня", "en": "Due today"},
    "exceptions.tab.due_before_date": {"ru": "Срок раньше даты", "en": "Due before its date"},
    "exceptions.tab.credit_limit_near": {"ru": "Близко к лимиту", "en": "Near credit limit"},
    "exceptions.tab.unidentified_payment": {"ru": "Неопознанные платежи", "en": "Unidentified payments"},
    "exceptions.tab.advance": {"ru": "Авансы", "en": "Advances"},
    "exceptions.tab.rejected_row": {"ru": "Отклонённые строки", "en": "Rejected rows"},
    "exceptions.about.overdue": {
        "ru": "Документы, не оплаченные в срок: что взыскивать в первую очередь.",
        "en": "Documents not paid by their due date: what to collect first.",
    },
    "exceptions.about.shipped_while_overdue": {
        "ru": "Отгрузки последних {lookback} дн., сделанные, когда у контрагента уже была просрочка.",
        "en": "Shipments of the last {lookback} days made while the counterparty already had overdue debt.",
    },
    "exceptions.about.credit_limit_exceeded": {
        "ru": "Договоры, сальдо которых выше кредитного лимита: отгрузки стоит остановить.",
        "en": "Contracts whose balance is above the credit limit: shipments should stop.",
    },
    "exceptions.about.broken_promise": {
        "ru": "Обещания оплатить, срок которых прошёл, а оплачено меньше обещанного: сумма — сколько не хватает.",
        "en": "Promises to pay whose last day has passed with less paid than promised: the amount is what is missing.",
    },
    "exceptions.about.disputed": {
        "ru": "Документы, которые клиент оспаривает: пока спор открыт, их нет в просрочке, напоминаниях и "
        "правилах просрочки стоп-листа. Закройте спор, когда он решён.",
        "en": "Documents the client disputes: while the dispute is open they are left out of the overdue list, "
        "the reminders and the stop list's overdue rules. Resolve the dispute once it is settled.",
    },
    "exceptions.about.no_payment_recently": {
        "ru": "Контрагенты с просрочкой и без оплат за последние {days} дн.",
        "en": "Counterparties with overdue debt and no payment in the last {days} days.",
    },
    "exceptions.about.due_today": {
        "ru": "Документы со сроком оплаты сегодня: напомнить.",
        "en": "Documents due today: a reminder call.",
    },
    "exceptions.about.due_before_date": {
        "ru": "Отгрузки со сроком оплаты раньше даты самого документа: срок введён с ошибкой или день и месяц "
        "перепутаны при открытии файла в Excel. Проверьте документ в 1С.",
        "en": "Shipments due before their own date: a due date typed wrong, or day and month swapped when the "
        "file went through Excel. Check the document in 1C.",
    },
    "exceptions.about.credit_limit_near": {
        "ru": "Договоры, сальдо которых достигло {pct} % лимита.",
        "en": "Contracts whose balance has reached {pct}% of the limit.",
    },
    "exceptions.about.unidentified_payment": {
        "ru": "Платежи из банковской выписки, чей ИНН плательщика не найден среди контрагентов.",
        "en": "Bank payments whose payer INN is no counterparty's.",
    },
    "exceptions.about.advance": {
        "ru": "Поступившие деньги, ещё не зачтённые в счёт отгрузок.",
        "en": "Money received and not yet set against shipments.",
    },
    "exceptions.about.rejected_row": {
        "ru": "Строки исходных файлов, которые не загрузились, с причиной.",
        "en": "Rows of the source files that did not load, with the reason.",
    },
    "exceptions.col.severity": {"ru": "Важность", "en": "Severity"},
    "exceptions.col.detail": {"ru": "Что случилось", "en": "What happened"},
    "exceptions.col.counterparty_name": {"ru": "Контрагент", "en": "Counterparty"},
    "exceptions.col.document_id": {"ru": "Документ", "en": "Document"},
    "exceptions.col.stop_rules": {"ru": "Нарушены правила стоп-листа", "en": "Stop-list rules broken"},
    "exceptions.stop_rules_note": {
        "ru": "Отгрузка нарушила стоп-лист, если в день отгрузки у контрагента {rules}; «—» — по правилам "
        "стоп-листа отгружать было можно. Кто в стоп-листе сейчас — на странице «Стоп-лист».",
        "en": "A shipment broke the stop list when on its date the counterparty had {rules}; “—”: the stop "
        "list allowed it. Who is on the stop list now: the page “Stop list”.",
    },
    "exceptions.stop_rule.credit_limit": {
        "ru": "договор отгрузки с сальдо выше кредитного лимита (с учётом самой отгрузки)",
        "en": "the shipment's contract with its balance, the shipment included, above the credit limit",
    },
    "exceptions.severity.high": {"ru": "высокая", "en": "high"},
    "exceptions.severity.medium": {"ru": "средняя", "en": "medium"},
    "exceptions.severity.low": {"ru": "низкая", "en": "low"},
    "exceptions.amount.overdue": {"ru": "Остаток долга", "en": "Open amount"},
    "exceptions.amount.shipped_while_overdue": {"ru": "Сумма отгрузки", "en": "Shipment amount"},
    "exceptions.amount.credit_limit_exceeded": {"ru": "Превышение лимита", "en": "Over the limit by"},
    "exceptions.amount.broken_promise": {"ru": "Не хватает", "en": "Missing"},
    "exceptions.amount.disputed": {"ru": "Остаток долга", "en": "Open amount"},
    "exceptions.amount.no_payment_recently": {"ru": "Просрочено", "en": "Overdue"},
    "exceptions.amount.due_today": {"ru": "К оплате", "en": "Due"},
    "exceptions.amount.due_before_date": {"ru": "Остаток долга", "en": "Open amount"},
    "exceptions.amount.credit_limit_near": {"ru": "Сальдо", "en": "Balance"},
    "exceptions.amount.unidentified_payment": {"ru": "Сумма платежа", "en": "Payment amount"},
    "exceptions.amount.advance": {"ru": "Неиспользованный аванс", "en": "Unused advance"},
    "exceptions.days.overdue": {"ru": "Дней просрочки", "en": "Days overdue"},
    "exceptions.days.shipped_while_overdue": {"ru": "Макс. дней просрочки", "en": "Max days overdue"},
    "exceptions.days.broken_promise": {"ru": "Дней после срока обещания", "en": "Days past the promised date"},
    "exceptions.days.disputed": {"ru": "Дней в споре", "en": "Days disputed"},
    "exceptions.days.no_payment_recently": {"ru": "Дней без оплат", "en": "Days since last payment"},
    "exceptions.days.unidentified_payment": {"ru": "Дней с поступления", "en": "Days since received"},
    "exceptions.days.advance": {"ru": "Дней с поступления", "en": "Days since received"},
    "exceptions.days.due_before_date": {"ru": "На сколько дней раньше", "en": "Days before its date"},
    # The sentence of each row: {placeholders} are filled column by column (dashboard.services.wording).
    "exceptions.detail.overdue": {
        "ru": "Просрочено {days} дн.: {document}, остаток {amount}",
        "en": "Overdue {days} d: {document}, open {amount}",
    },
    "exceptions.detail.due_before_date": {
        "ru": "Срок оплаты на {days} дн. раньше даты документа: {document}, остаток {amount}",
        "en": "Due {days} d before its own date: {document}, open {amount}",
    },
    "exceptions.detail.due_today": {
        "ru": "Срок оплаты сегодня: {document}, остаток {amount}",
        "en": "Due today: {document}, open {amount}",
    },
    "exceptions.detail.credit_limit_exceeded": {
        "ru": "Превышен кредитный лимит по договору {contract}: баланс {balance} при лимите {limit}, "
        "превышение {amount}",
        "en": "Credit limit exceeded on contract {contract}: balance {balance}, limit {limit}, excess {amount}",
    },
    "exceptions.detail.credit_limit_near": {
        "ru": "Кредитный лимит по договору {contract} использован на {percent}%: баланс {balance} при лимите {limit}",
        "en": "Credit limit on contract {contract} {percent}% used: balance {balance}, limit {limit}",
    },
    "exceptions.detail.shipped_while_overdue": {
        "ru": "Отгрузка {document} на {amount} при просроченном долге {overdue} (до {days} дн.)",
        "en": "Shipment {document} for {amount} while {overdue} was overdue (up to {days} d)",
    },
    "exceptions.detail.no_payment_recently": {
        "ru": "Нет оплат {days} дн. (последняя {last}), просрочено {amount}",
        "en": "No payment for {days} d (last {last}), overdue {amount}",
    },
    "exceptions.detail.never_paid": {
        "ru": "Оплат не было ни разу, просрочено {amount}",
        "en": "Never paid, overdue {amount}",
    },
    "exceptions.detail.unidentified_payment": {
        "ru": "Неопознанный платёж {document} на {amount}: {payer}, {inn}; назначение: «{purpose}»",
        "en": "Unidentified payment {document} for {amount}: {payer}, {inn}; purpose: “{purpose}”",
    },
    "exceptions.detail.advance": {
        "ru": "Не зачтено {amount}: {document} ({contract})",
        "en": "Unused {amount}: {document} ({contract})",
    },
    "exceptions.detail.broken_promise": {
        "ru": "Обещание оплатить {promised} до {until} не выполнено: оплачено {paid}, не хватает {amount} "
        "({days} дн. после срока)",
        "en": "Promise to pay {promised} by {until} broken: paid {paid}, missing {amount} ({days} d past its date)",
    },
    "exceptions.detail.disputed": {
        "ru": "Оспаривается {days} дн.: {document}, остаток {amount}",
        "en": "Disputed for {days} d: {document}, open {amount}",
    },
    "exceptions.detail.rejected_row": {"ru": "{where} — {reason}", "en": "{where} — {reason}"},
    "exceptions.detail.rejected_value": {"ru": "{column} «{value}»", "en": "{column} “{value}”"},
    "exceptions.detail.document_of": {"ru": "{document} от {date}", "en": "{document} of {date}"},
    "exceptions.detail.number": {"ru": "№ {number}", "en": "No. {number}"},
    "exceptions.detail.on_contract": {"ru": "по договору {contract}", "en": "on contract {contract}"},
    "exceptions.detail.no_contract": {"ru": "без договора", "en": "no contract"},
    "exceptions.detail.payer_unknown": {"ru": "плательщик не указан", "en": "payer not given"},
    "exceptions.detail.inn": {"ru": "ИНН {inn}", "en": "INN {inn}"},
    "exceptions.detail.no_inn": {"ru": "ИНН не указан", "en": "no INN"},
    "exceptions.detail.and": {"ru": " и ", "en": " and "},
    "exceptions.detail.kind.payment": {"ru": "платёж", "en": "payment"},
    "exceptions.detail.kind.return": {"ru": "возврат", "en": "return"},
    "exceptions.detail.kind.adjustment": {"ru": "корректировка", "en": "adjustment"},
    "exceptions.detail.kind.opening": {"ru": "начальный остаток", "en": "opening balance"},
}
