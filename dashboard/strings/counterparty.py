"""Strings of the page «Карточка контрагента» (pages/counterparty.py)."""

STRINGS = {
    "counterparty.page": {"ru": "Карточка контрагента", "en": "Counterparty card"},
    "counterparty.choose": {"ru": "Контрагент", "en": "Counterparty"},
    "counterparty.choose_placeholder": {"ru": "Выберите контрагента", "en": "Choose a counterparty"},
    "counterparty.choose_hint": {
        "ru": "Выберите контрагента здесь или в боковой панели; карточку можно открыть и ссылкой `?counterparty=КОД`.",
        "en": "Choose a counterparty here or in the sidebar; a link `?counterparty=CODE` opens the card too.",
    },
    "counterparty.not_found": {
        "ru": "Контрагент не найден или не входит в ваш доступ.",
        "en": "The counterparty is unknown or outside your access.",
    },
    "counterparty.inn": {"ru": "ИНН", "en": "INN"},
    "counterparty.kpp": {"ru": "КПП", "en": "KPP"},
    "counterparty.manager": {"ru": "Менеджер", "en": "Manager"},
    "counterparty.group": {"ru": "Группа", "en": "Group"},
    "counterparty.email": {"ru": "Эл. почта", "en": "Email"},
    "counterparty.tile.balance": {"ru": "Сальдо", "en": "Balance"},
    "counterparty.tile.overdue": {"ru": "Просрочено", "en": "Overdue"},
    "counterparty.tile.not_due": {"ru": "Не наступил срок", "en": "Not due"},
    "counterparty.tile.advance": {"ru": "Аванс", "en": "Advance"},
    "counterparty.tile.max_days": {"ru": "Макс. дней просрочки", "en": "Max days overdue"},
    "counterparty.tile.days_late": {"ru": "Опоздание в среднем, дн.", "en": "Average days late"},
    "counterparty.tile.on_time": {"ru": "Оплачено в срок", "en": "Paid on time"},
    "counterparty.tile.settled": {"ru": "Отгрузок учтено", "en": "Shipments counted"},
    "counterparty.behaviour": {"ru": "Платёжная дисциплина", "en": "Payment behaviour"},
    "counterparty.behaviour_note": {
        "ru": "Отгрузки, полностью оплаченные с {start} по {end}: дата полного погашения против срока оплаты, "
        "и ещё не оплаченные после срока ({unpaid}): опоздание на сегодня. Оплаченное раньше срока считается "
        "как 0 дней опоздания. Самое долгое опоздание: {max} дн.",
        "en": "Shipments paid in full from {start} to {end}: the day of the last payment against the due date; "
        "and those still unpaid past their due date ({unpaid}): late so far. Paid early counts as 0 days late. "
        "The longest delay: {max} days.",
    },
    "counterparty.behaviour_none": {
        "ru": "За последние 12 месяцев ни одна отгрузка не была оплачена полностью.",
        "en": "No shipment was paid in full in the last 12 months.",
    },
    "counterparty.contracts": {"ru": "Договоры и лимиты", "en": "Contracts and limits"},
    "counterparty.timeline": {"ru": "Отгрузки и оплаты за 12 месяцев", "en": "Shipments and payments, 12 months"},
    "counterparty.timeline.shipments": {"ru": "Отгрузки", "en": "Shipments"},
    "counterparty.timeline.payments": {"ru": "Оплаты", "en": "Payments"},
    "counterparty.timeline.balance": {"ru": "Сальдо", "en": "Balance"},
    "counterparty.timeline_none": {
        "ru": "За 12 месяцев движений не было.",
        "en": "Nothing moved in the last 12 months.",
    },
    "counterparty.open_documents": {"ru": "Открытые документы", "en": "Open documents"},
    "counterparty.no_open_documents": {"ru": "Открытых документов нет.", "en": "No open documents."},
    "counterparty.what_if": {"ru": "Что если отгрузить сегодня?", "en": "What if we ship today?"},
    "counterparty.what_if.amount": {"ru": "Сумма новой отгрузки, ₽", "en": "New shipment amount"},
    "counterparty.what_if.amount_help": {
        "ru": "Например, 150 000 или 150 000,50",
        "en": "For example 150000 or 150,000.50",
    },
    "counterparty.what_if.contract": {"ru": "По договору", "en": "Under the contract"},
    "counterparty.what_if.bad_amount": {
        "ru": "Не понял сумму «{text}»: {reason}",
        "en": "Cannot read the amount “{text}”: {reason}",
    },
    "counterparty.what_if.negative": {
        "ru": "Сумма отгрузки не может быть отрицательной.",
        "en": "A shipment amount cannot be negative.",
    },
    "counterparty.what_if.no_contracts": {
        "ru": "У контрагента нет договоров в этой валюте.",
        "en": "The counterparty has no contracts in this currency.",
    },
    "counterparty.what_if.fits": {
        "ru": "В пределах лимита: сальдо станет {new_balance} из {limit} ({pct}), останется {headroom}.",
        "en": "Within the limit: the balance becomes {new_balance} of {limit} ({pct}), {headroom} left.",
    },
    "counterparty.what_if.breach": {
        "ru": "Лимит будет превышен на {over}: сальдо станет {new_balance} при лимите {limit}.",
        "en": "The limit would be exceeded by {over}: the balance becomes {new_balance} against a limit of {limit}.",
    },
    "counterparty.what_if.fits_stop": {
        "ru": "Правило стоп-листа «{rule}» соблюдено: сальдо станет {new_balance} из {limit} ({pct}), "
        "останется {headroom}.",
        "en": "The stop-list rule “{rule}” holds: the balance becomes {new_balance} of {limit} ({pct}), "
        "{headroom} left.",
    },
    "counterparty.what_if.breach_stop": {
        "ru": "Отгрузка нарушит правило стоп-листа «{rule}»: лимит будет превышен на {over}, "
        "сальдо станет {new_balance} при лимите {limit}.",
        "en": "The shipment would break the stop-list rule “{rule}”: the limit would be exceeded by {over}, "
        "the balance becomes {new_balance} against a limit of {limit}.",
    },
    "counterparty.stoplist.on": {
        "ru": "На {day} контрагент в стоп-листе ({reasons}): отгрузки остановлены. {detail}",
        "en": "As of {day} the counterparty is on the stop list ({reasons}): shipments are stopped. {detail}",
    },
    "counterparty.stoplist.released": {
        "ru": "На {day} контрагент в стоп-листе ({reasons}). {released}.",
        "en": "As of {day} the counterparty is on the stop list ({reasons}). {released}.",
    },
    "counterparty.stoplist.off": {
        "ru": "На {day} контрагента нет в стоп-листе.",
        "en": "As of {day} the counterparty is not on the stop list.",
    },
    "counterparty.stoplist.where": {
        "ru": "Весь стоп-лист — на странице «Стоп-лист» (раздел «Кредитный контроль»).",
        "en": "The whole stop list is on the page “Stop list” (Credit control).",
    },
    "counterparty.what_if.no_limit": {
        "ru": "У договора нет кредитного лимита: сальдо станет {new_balance}.",
        "en": "The contract has no credit limit: the balance becomes {new_balance}.",
    },
    "counterparty.what_if.overdue_warning": {
        "ru": "У контрагента просрочка {overdue}: такая отгрузка попадёт в исключения «Отгрузки при просрочке».",
        "en": "The counterparty has {overdue} overdue: such a shipment will be listed as shipped while overdue.",
    },
    "counterparty.actions": {"ru": "Документы", "en": "Documents"},
    "counterparty.act_link": {"ru": "Акт сверки", "en": "Reconciliation act"},
    "counterparty.act_unavailable": {
        "ru": "Страница акта сверки появится в навигации в следующей версии.",
        "en": "The reconciliation act page arrives in the navigation with the next version.",
    },
    "counterparty.export": {"ru": "Выписка за 12 месяцев (Excel)", "en": "12-month statement (Excel)"},
    "counterparty.col.usage_pct": {"ru": "Использование лимита", "en": "Limit usage"},
    "counterparty.col.headroom": {"ru": "Остаток лимита", "en": "Headroom"},
    "counterparty.col.terms_days": {"ru": "Отсрочка, дн.", "en": "Terms, days"},
    "counterparty.col.terms_basis": {"ru": "Дни", "en": "Day basis"},
    "counterparty.col.contract_date": {"ru": "Дата договора", "en": "Contract date"},
    "counterparty.basis.calendar": {"ru": "календарные", "en": "calendar"},
    "counterparty.basis.working": {"ru": "рабочие", "en": "working"},
    "counterparty.no_contract": {"ru": "(аванс без договора)", "en": "(advance, no contract)"},
    # -- contacts and commitments (dashboard/ui/timeline.py) -----------------------------------------
    "counterparty.notes": {"ru": "Контакты и договорённости", "en": "Contacts and commitments"},
    "counterparty.notes.none": {"ru": "Записей о контактах пока нет.", "en": "No contacts recorded yet."},
    "counterparty.notes.shown": {
        "ru": "Показаны последние {shown} из {total} записей.",
        "en": "The latest {shown} of {total} notes.",
    },
    "counterparty.notes.kind.call": {"ru": "звонок", "en": "call"},
    "counterparty.notes.kind.email": {"ru": "письмо", "en": "email"},
    "counterparty.notes.kind.note": {"ru": "заметка", "en": "note"},
    "counterparty.notes.kind.promise": {"ru": "обещание оплаты", "en": "promise to pay"},
    "counterparty.notes.kind.dispute": {"ru": "спор", "en": "dispute"},
    "counterparty.notes.promise": {"ru": "{amount} до {until}", "en": "{amount} by {until}"},
    "counterparty.notes.document": {"ru": "документ {document}", "en": "document {document}"},
    "counterparty.notes.document_dated": {"ru": "{number} от {day}", "en": "{number} of {day}"},
    "counterparty.notes.status.open": {"ru": "открыто", "en": "open"},
    "counterparty.notes.status.open_paid": {"ru": "открыто, оплачено {paid}", "en": "open, {paid} paid"},
    "counterparty.notes.status.kept": {"ru": "выполнено", "en": "kept"},
    "counterparty.notes.status.broken": {
        "ru": "нарушено: не хватает {missing}",
        "en": "broken: {missing} missing",
    },
    "counterparty.notes.status.withdrawn": {"ru": "отозвано {day}", "en": "withdrawn on {day}"},
    "counterparty.notes.status.later": {
        "ru": "датировано позже даты карточки",
        "en": "dated after the card's date",
    },
    "counterparty.notes.dispute.open": {
        "ru": "спор открыт, не оплачено {amount}",
        "en": "dispute open, {amount} unpaid",
    },
    "counterparty.notes.dispute.open_paid": {
        "ru": "спор открыт, документ оплачен",
        "en": "dispute open, the document is paid",
    },
    "counterparty.notes.dispute.resolved": {"ru": "спор закрыт {day}", "en": "dispute resolved on {day}"},
    "counterparty.notes.resolve": {"ru": "Закрыть", "en": "Resolve"},
    "counterparty.notes.resolve_help": {
        "ru": "Отозвать обещание или закрыть спор на дату карточки, {day}.",
        "en": "Withdraw the promise or resolve the dispute as of the card's date, {day}.",
    },
    "counterparty.notes.resolved": {"ru": "Запись закрыта на {day}.", "en": "Resolved as of {day}."},
    "counterparty.notes.added": {"ru": "Запись добавлена.", "en": "Note added."},
    "counterparty.notes.read_only": {
        "ru": "Записи добавляют финансовый директор, контролёр и менеджер контрагента.",
        "en": "Notes are added by the CFO, a controller and the counterparty's manager.",
    },
    "counterparty.notes.form": {"ru": "Новая запись", "en": "New note"},
    "counterparty.notes.form.kind": {"ru": "Что было", "en": "Kind"},
    "counterparty.notes.form.kind.call": {"ru": "Звонок", "en": "Call"},
    "counterparty.notes.form.kind.email": {"ru": "Письмо", "en": "Email"},
    "counterparty.notes.form.kind.note": {"ru": "Заметка", "en": "Note"},
    "counterparty.notes.form.kind.promise": {"ru": "Обещание", "en": "Promise"},
    "counterparty.notes.form.kind.dispute": {"ru": "Спор", "en": "Dispute"},
    "counterparty.notes.form.date": {"ru": "Дата", "en": "Date"},
    "counterparty.notes.form.text": {"ru": "Текст", "en": "Text"},
    "counterparty.notes.form.text_placeholder": {
        "ru": "С кем говорили и о чём договорились",
        "en": "Who you spoke to and what was agreed",
    },
    "counterparty.notes.form.amount": {"ru": "Сумма обещания", "en": "Amount promised"},
    "counterparty.notes.form.amount_help": {
        "ru": "Например, 1 234,56 или 1234.56.",
        "en": "For example 1234.56 or 1 234,56.",
    },
    "counterparty.notes.form.until": {"ru": "Оплатят до", "en": "Pay by"},
    "counterparty.notes.form.document": {"ru": "Документ", "en": "Document"},
    "counterparty.notes.form.document_none_promise": {"ru": "— без документа —", "en": "— no document —"},
    "counterparty.notes.form.document_none_dispute": {"ru": "— выберите документ —", "en": "— choose a document —"},
    "counterparty.notes.form.document_option": {
        "ru": "{kind} № {number} от {day}: открыто {amount}",
        "en": "{kind} No. {number} of {day}: {amount} open",
    },
    "counterparty.notes.form.no_documents": {
        "ru": "Открытых документов нет: оспорить нечего.",
        "en": "No open documents to dispute.",
    },
    "counterparty.notes.form.submit": {"ru": "Записать", "en": "Save"},
    # Why a note was not written or resolved, by dashboard.services.notes' NoteRefused.code.
    "counterparty.notes.error.amount_text": {
        "ru": "Не понял сумму «{text}»: введите, например, 1 234,56 или 1234.56.",
        "en": "“{text}” is not an amount: type, for example, 1234.56 or 1 234,56.",
    },
    "counterparty.notes.error.amount": {
        "ru": "Укажите сумму обещания больше нуля.",
        "en": "Give the amount promised, above zero.",
    },
    "counterparty.notes.error.until": {
        "ru": "Укажите дату, до которой обещали оплатить.",
        "en": "Give the day the payment is promised by.",
    },
    "counterparty.notes.error.until_before": {
        "ru": "Срок обещания {until} раньше даты записи {date}.",
        "en": "The promise's last day {until} is before the note's date {date}.",
    },
    "counterparty.notes.error.document": {
        "ru": "Для спора выберите оспариваемый документ.",
        "en": "Choose the document the dispute is about.",
    },
    "counterparty.notes.error.foreign_document": {
        "ru": "Документ {document} не относится к этому контрагенту.",
        "en": "Document {document} is not this counterparty's.",
    },
    "counterparty.notes.error.counterparty": {
        "ru": "Контрагент не найден или не входит в ваш доступ: запись не сохранена.",
        "en": "The counterparty is unknown or outside your access: nothing was saved.",
    },
    "counterparty.notes.error.not_allowed": {
        "ru": "Ваша роль не может добавлять и закрывать записи.",
        "en": "Your role may not add or resolve notes.",
    },
    "counterparty.notes.error.no_note": {
        "ru": "Запись не найдена или не входит в ваш доступ.",
        "en": "The note is unknown or outside your access.",
    },
    "counterparty.notes.error.resolved": {"ru": "Запись уже закрыта.", "en": "The note is already resolved."},
    "counterparty.notes.error.resolve_before": {
        "ru": "Запись датирована {date}: закрыть её раньше нельзя.",
        "en": "The note is dated {date}: it cannot be resolved before that.",
    },
    "counterparty.notes.error.refused": {"ru": "Запись не сохранена: {reason}", "en": "Nothing was saved: {reason}"},
}
