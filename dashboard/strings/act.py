"""Strings of the reconciliation act page (pages/act.py)."""

STRINGS = {
    "act.title": {"ru": "Акт сверки", "en": "Reconciliation act"},
    "act.choose_counterparty": {"ru": "Выберите контрагента", "en": "Choose a counterparty"},
    "act.from": {"ru": "Период с", "en": "Period from"},
    "act.to": {"ru": "по", "en": "to"},
    "act.all_contracts": {"ru": "Все договоры", "en": "All contracts"},
    "act.bad_period": {
        "ru": "Начало периода позже его конца: поправьте даты.",
        "en": "The period starts after it ends: correct the dates.",
    },
    "act.nothing": {
        "ru": "Для этого контрагента, договора и валюты акт составить нельзя: нет данных в вашей области видимости.",
        "en": "No act for this counterparty, contract and currency: nothing of it is in your view.",
    },
    "act.our_company": {"ru": "Наша организация", "en": "Our company"},
    "act.heading": {
        "ru": "Акт сверки взаимных расчетов за период: {date_from} – {date_to}",
        "en": "Reconciliation statement for the period {date_from} – {date_to}",
    },
    "act.parties": {"ru": "между {company} и {counterparty}", "en": "between {company} and {counterparty}"},
    "act.contract": {"ru": "по договору {number}", "en": "under contract {number}"},
    "act.currency": {"ru": "валюта: {currency}", "en": "currency: {currency}"},
    "act.col.date": {"ru": "Дата", "en": "Date"},
    "act.col.document": {"ru": "Документ", "en": "Document"},
    "act.col.debit": {"ru": "Дебет", "en": "Debit"},
    "act.col.credit": {"ru": "Кредит", "en": "Credit"},
    "act.row.opening": {"ru": "Сальдо начальное", "en": "Opening balance"},
    "act.row.turnover": {"ru": "Обороты за период", "en": "Turnover for the period"},
    "act.row.closing": {"ru": "Сальдо конечное", "en": "Closing balance"},
    "act.owed": {
        "ru": "По данным {company} на {date} задолженность в пользу {party} составляет {amount}.",
        "en": "According to {company}, as of {date} the balance in favour of {party} is {amount}.",
    },
    "act.settled": {
        "ru": "По данным {company} на {date} задолженность отсутствует.",
        "en": "According to {company}, as of {date} there is no outstanding balance.",
    },
    "act.download_csv": {"ru": "Скачать CSV", "en": "Download CSV"},
    "act.download_pdf": {"ru": "Скачать PDF", "en": "Download PDF"},
    "act.formats": {
        "ru": "PDF и Excel — акт для подписи в форме 1С (обе стороны, сумма прописью, подписи); "
        "CSV — таблица как есть.",
        "en": "PDF and Excel are the act for signing in 1C's form, in Russian as the counterparty's 1C prints it "
        "(both sides, the amount in words, signatures); CSV is the plain table.",
    },
    "act.signers": {"ru": "Подписи", "en": "Signatures"},
    "act.signer_position": {"ru": "Наша должность", "en": "Our signer's position"},
    "act.signer_name": {"ru": "Наш подписант (ФИО)", "en": "Our signer (name)"},
    "act.client_position": {"ru": "Должность у контрагента", "en": "Counterparty's signer position"},
    "act.client_name": {"ru": "Подписант контрагента (ФИО)", "en": "Counterparty's signer (name)"},
    "act.batch": {"ru": "Акты по всем контрагентам (ZIP)", "en": "Acts for every counterparty (ZIP)"},
    "act.batch_help": {
        "ru": "Акты за {date_from} – {date_to} по каждому контрагенту, которого разрешают фильтры менеджера и "
        "группы на боковой панели; в архиве также index.csv с конечным сальдо каждого акта.",
        "en": "Acts for {date_from} – {date_to} for every counterparty the sidebar's manager and group filters "
        "allow; the archive also holds index.csv with each act's closing balance.",
    },
    "act.batch_format": {"ru": "Формат", "en": "Format"},
    "act.batch_with_balance": {"ru": "Только с ненулевым сальдо", "en": "Only with a closing balance"},
    "act.batch_per_contract": {"ru": "Отдельный акт по каждому договору", "en": "One act per contract"},
    "act.batch_download": {"ru": "Сформировать и скачать ZIP", "en": "Build and download the ZIP"},
    "act.side.debit": {"ru": "Дт", "en": "Dr"},
    "act.side.credit": {"ru": "Кт", "en": "Cr"},
    "act.turnover_debit": {"ru": "Обороты по дебету", "en": "Debit turnover"},
    "act.turnover_credit": {"ru": "Обороты по кредиту", "en": "Credit turnover"},
    "act.rows": {"ru": "Строки {first}–{last} из {total}", "en": "Rows {first}–{last} of {total}"},
    "act.previous": {"ru": "Назад", "en": "Previous"},
    "act.next": {"ru": "Далее", "en": "Next"},
    # The act's documents on screen in English («Shipment (No. 123 of 2025-02-05)»: dashboard.services.acts.
    # document_words); in Russian the page, like the act's files, names them as 1C does (queries.documents).
    "act.kind.shipment": {"ru": "Реализация", "en": "Shipment"},
    "act.kind.payment": {"ru": "Оплата", "en": "Payment"},
    "act.kind.return": {"ru": "Возврат", "en": "Return"},
    "act.kind.adjustment": {"ru": "Корректировка долга", "en": "Debt adjustment"},
    "act.kind.opening": {"ru": "Начальный остаток", "en": "Opening balance"},
    "act.payment_number": {"ru": "п/п №", "en": "payment order No."},
    "act.number": {"ru": "№", "en": "No."},
    "act.of": {"ru": "от", "en": "of"},
    # A contract's act: part of its credit taken by another contract's debit, another contract's credit.
    "act.set_off_under": {"ru": "зачтено по договору", "en": "set off under contract"},
    "act.under": {"ru": "по договору", "en": "under contract"},
}
