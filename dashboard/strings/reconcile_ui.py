"""Strings of the act page's «Сверка с актом клиента» and the card's line about a client's copy
(dashboard/ui/reconcile.py); the statuses, columns and the reader's messages are dashboard/strings/reconcile.py's."""

STRINGS = {
    "reconcile_ui.title": {"ru": "Сверка с актом клиента", "en": "Reconcile with the client's act"},
    "reconcile_ui.help": {
        "ru": "Загрузите акт сверки, который прислал клиент (XLSX или CSV, как его печатает 1С): его строки будут "
        "сопоставлены с нашими за период и по договору, выбранным выше.",
        "en": "Upload the reconciliation act the client sent back (XLSX or CSV, as 1C prints it): its lines are "
        "matched to ours for the period and contract chosen above.",
    },
    "reconcile_ui.help_client": {
        "ru": "Загрузите акт сверки из вашей 1С (XLSX или CSV) за период и по договору, выбранным выше: мы "
        "покажем, в чём наши данные расходятся, и сохраним ваш акт для нашего бухгалтера.",
        "en": "Upload the reconciliation act from your 1C (XLSX or CSV) for the period and contract chosen "
        "above: we show where our books differ and keep your act for our accountant.",
    },
    "reconcile_ui.upload": {
        "ru": "Загрузите акт, который прислал клиент",
        "en": "Upload the act the client sent",
    },
    "reconcile_ui.upload_client": {"ru": "Загрузите ваш акт сверки", "en": "Upload your reconciliation act"},
    "reconcile_ui.copies": {"ru": "Акты, присланные клиентом", "en": "Acts the client sent"},
    "reconcile_ui.copies_placeholder": {
        "ru": "Выберите присланный акт ({count})",
        "en": "Choose an act sent ({count})",
    },
    "reconcile_ui.copy_label": {
        "ru": "{uploaded}: за {period}, {who} — {found}",
        "en": "{uploaded}: for {period}, {who} — {found}",
    },
    "reconcile_ui.copy_by_client": {"ru": "клиент ({login})", "en": "the client ({login})"},
    "reconcile_ui.copy_by_staff": {"ru": "сохранил {login}", "en": "kept by {login}"},
    "reconcile_ui.showing_file": {
        "ru": "Акт клиента: файл «{name}».",
        "en": "The client's act: the file «{name}».",
    },
    "reconcile_ui.showing_copy": {
        "ru": "Акт клиента: «{name}», загружен {uploaded} ({who}), за {period}.",
        "en": "The client's act: «{name}», uploaded {uploaded} ({who}), for {period}.",
    },
    "reconcile_ui.copy_period_differs": {
        "ru": "Акт сверяется за свой период {period}, а не за выбранный выше.",
        "en": "The act is reconciled over its own period {period}, not the one chosen above.",
    },
    "reconcile_ui.copy_missing": {
        "ru": "Этот акт больше недоступен.",
        "en": "This act is no longer available.",
    },
    # The summary: «Сверено 12 строк: 9 совпадают, 3 расхождения.»
    "reconcile_ui.summary": {
        "ru": "Строк сверки: {lines}; совпадают: {matched}; расхождений: {differences}.",
        "en": "Reconciled lines: {lines}; matched: {matched}; differences: {differences}.",
    },
    "reconcile_ui.all_matched": {
        "ru": "Акты совпадают: все строки и сальдо на {date} — {balance}.",
        "en": "The acts agree: every line, and the balance as of {date} is {balance}.",
    },
    "reconcile_ui.balances": {
        "ru": "Сальдо на {date}: у нас {ours}, у клиента {theirs}.",
        "en": "Balance as of {date}: ours {ours}, the client's {theirs}.",
    },
    "reconcile_ui.explained": {
        "ru": "Разница сальдо {amount} = {parts}",
        "en": "Balance difference {amount} = {parts}",
    },
    "reconcile_ui.no_balance_difference": {
        "ru": "Сальдо совпадают: расхождения в строках компенсируют друг друга.",
        "en": "The balances agree: the differing lines offset each other.",
    },
    "reconcile_ui.signs": {
        "ru": "Разница = у нас − у клиента; плюс — по нашим данным клиент должен больше.",
        "en": "Difference = ours − the client's; plus: by our books the client owes more.",
    },
    "reconcile_ui.part.opening": {"ru": "разница начального сальдо", "en": "opening balance difference"},
    "reconcile_ui.part.matched": {"ru": "совпавшие строки", "en": "matched lines"},
    "reconcile_ui.part.date_differs": {"ru": "другие даты", "en": "other dates"},
    "reconcile_ui.part.amount_differs": {"ru": "разница сумм", "en": "amount differences"},
    "reconcile_ui.part.only_ours": {"ru": "нет у клиента", "en": "missing in theirs"},
    "reconcile_ui.part.only_theirs": {"ru": "нет у нас", "en": "missing in ours"},
    "reconcile_ui.part.inconsistency": {
        "ru": "ошибка в сальдо их акта",
        "en": "their act's own balance error",
    },
    "reconcile_ui.outside": {
        "ru": "Строк акта клиента вне периода {period}: {lines} (с {first} по {last}). Проверьте период: акт "
        "сверяется за выбранный выше.",
        "en": "Lines of the client's act outside {period}: {lines} ({first} to {last}). Check the period: the act "
        "is reconciled over the one chosen above.",
    },
    "reconcile_ui.only_differences": {"ru": "Только расхождения", "en": "Differences only"},
    "reconcile_ui.download_xlsx": {
        "ru": "Акт с расхождениями (Excel)",
        "en": "Act with the differences (Excel)",
    },
    "reconcile_ui.download_csv": {"ru": "Сверка (CSV)", "en": "Reconciliation (CSV)"},
    "reconcile_ui.downloads_help": {
        "ru": "В Excel — обе половины акта с выделенными расхождениями, готовые к отправке клиенту.",
        "en": "The Excel file holds both halves of the act, the differences highlighted, ready to send back.",
    },
    "reconcile_ui.save": {"ru": "Сохранить как акт клиента", "en": "Keep as the client's act"},
    "reconcile_ui.save_help": {
        "ru": "Акт, присланный клиентом по почте, сохранится в истории контрагента: его увидят коллеги "
        "на карточке и в этом списке.",
        "en": "An act the client e-mailed is kept in the counterparty's history: colleagues see it on the card "
        "and in this list.",
    },
    "reconcile_ui.saved": {
        "ru": "Акт клиента сохранён (№ {id}).",
        "en": "The client's act is kept (no. {id}).",
    },
    "reconcile_ui.saved_client": {
        "ru": "Ваш акт получен и сохранён: наш бухгалтер увидит результат сверки.",
        "en": "Your act is received and kept: our accountant will see the result.",
    },
    "reconcile_ui.not_our_counterparty": {
        "ru": "Сверка недоступна: {reason}",
        "en": "The reconciliation is not available: {reason}",
    },
    "reconcile_ui.no_act.unknown": {
        "ru": "акта по контрагенту {counterparty} нет: он неизвестен или не виден вам",
        "en": "no act for counterparty {counterparty}: unknown, or not visible to you",
    },
    "reconcile_ui.no_act.choose_currency": {
        "ru": "у контрагента {counterparty} договоры в валютах {currencies}: выберите валюту акта",
        "en": "counterparty {counterparty} has contracts in {currencies}: choose the act's currency",
    },
    "reconcile_ui.no_act.no_currency": {
        "ru": "у контрагента {counterparty} нет документов в валюте {currency}; его валюты: {currencies}",
        "en": "counterparty {counterparty} has no documents in {currency}; its currencies: {currencies}",
    },
    "reconcile_ui.refused.counterparty": {
        "ru": "Сохранить акт за этого контрагента нельзя.",
        "en": "An act cannot be kept for this counterparty.",
    },
    "reconcile_ui.refused.empty": {"ru": "Файл пуст.", "en": "The file is empty."},
    "reconcile_ui.refused.too_large": {
        "ru": "Файл больше {mb} МБ: это не акт сверки.",
        "en": "The file is larger than {mb} MB: not a reconciliation act.",
    },
    "reconcile_ui.refused.period": {
        "ru": "Период акта заканчивается раньше, чем начинается.",
        "en": "The act's period ends before it starts.",
    },
    "reconcile_ui.refused.refused": {"ru": "Акт не сохранён: {reason}", "en": "The act was not kept: {reason}"},
    "reconcile_ui.bad_file_hint": {
        "ru": "Сохраните акт сверки из 1С в XLSX («Файл → Сохранить как») или CSV и загрузите его снова.",
        "en": "Save the reconciliation act from 1C as XLSX (File → Save as) or CSV and upload it again.",
    },
    # The counterparty card's line about the newest copy.
    "reconcile_ui.card_line": {
        "ru": "Клиент прислал акт сверки {uploaded} за {period}: {found}",
        "en": "The client sent a reconciliation act on {uploaded} for {period}: {found}",
    },
    "reconcile_ui.card_open": {"ru": "Открыть сверку", "en": "Open the reconciliation"},
    "reconcile_ui.found.none": {"ru": "расхождений нет", "en": "no differences"},
    "reconcile_ui.found.unknown": {"ru": "ещё не сверен", "en": "not reconciled yet"},
    "reconcile_ui.found.one": {"ru": "{n} расхождение", "en": "{n} difference"},
    "reconcile_ui.found.few": {"ru": "{n} расхождения", "en": "{n} differences"},
    "reconcile_ui.found.many": {"ru": "{n} расхождений", "en": "{n} differences"},
    "audit.action.their_act": {"ru": "акт сверки клиента", "en": "client's act kept"},
}

# A client reads the same result on its portal, addressed to it: `.client` variants of the keys above
# (dashboard.services.reconcile_words.word) and its own side's words in the table.
STRINGS |= {
    "reconcile_ui.title.client": {"ru": "Сверка с вашим актом", "en": "Reconcile with your act"},
    "reconcile_ui.downloads_help.client": {
        "ru": "В Excel — обе половины акта с выделенными расхождениями.",
        "en": "The Excel file holds both halves of the act, the differences highlighted.",
    },
    "reconcile_ui.showing_file.client": {"ru": "Ваш акт: файл «{name}».", "en": "Your act: the file «{name}»."},
    "reconcile_ui.balances.client": {
        "ru": "Сальдо на {date}: по нашим данным {ours}, по вашим {theirs}.",
        "en": "Balance as of {date}: by our books {ours}, by yours {theirs}.",
    },
    "reconcile_ui.signs.client": {
        "ru": "Суммы — по нашему учёту: «+» увеличивает ваш долг перед нами, «−» уменьшает; разница = у нас − у "
        "вас, плюс — по нашим данным вы должны больше.",
        "en": "Amounts as our books sign them: + raises what you owe us, − lowers it; difference = ours − yours, "
        "plus: by our books you owe more.",
    },
    "reconcile_ui.outside.client": {
        "ru": "Строк вашего акта вне периода {period}: {lines} (с {first} по {last}). Проверьте период: акт "
        "сверяется за выбранный выше.",
        "en": "Lines of your act outside {period}: {lines} ({first} to {last}). Check the period: the act is "
        "reconciled over the one chosen above.",
    },
    "reconcile_ui.part.only_ours.client": {"ru": "нет у вас", "en": "missing in yours"},
    "reconcile_ui.part.inconsistency.client": {
        "ru": "ошибка в сальдо вашего акта",
        "en": "your act's own balance error",
    },
    "reconcile_ui.client.their_date": {"ru": "Ваша дата", "en": "Your date"},
    "reconcile_ui.client.their_document": {"ru": "Ваш документ", "en": "Your document"},
    "reconcile_ui.client.their_amount": {"ru": "Ваша сумма", "en": "Your amount"},
    "reconcile_ui.client.only_theirs": {"ru": "Только у вас", "en": "Only in yours"},
}
