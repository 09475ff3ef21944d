"""Strings of the payment calendar page (pages/payment_calendar.py)."""

_MONTHS_RU = [  # nominative, for labels such as «Ноябрь 2025»
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
]  # fmt: skip
_MONTHS_EN = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_WEEKDAYS_RU = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
_WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

STRINGS = {
    "calendar.title": {"ru": "Календарь платежей", "en": "Payment calendar"},
    "calendar.previous": {"ru": "Предыдущий месяц", "en": "Previous month"},
    "calendar.next": {"ru": "Следующий месяц", "en": "Next month"},
    "calendar.back_to_as_of": {"ru": "К дате отчёта", "en": "Back to the as-of month"},
    "calendar.window": {"ru": "{first} — {last}", "en": "{first} — {last}"},
    "calendar.month_tile": {"ru": "{month}: к оплате", "en": "{month}: due"},
    "calendar.month_documents": {"ru": "документов: {count}", "en": "documents: {count}"},
    "calendar.month_unpaid": {
        "ru": "не оплачено {amount} ({share})",
        "en": "unpaid {amount} ({share})",
    },
    "calendar.col.paid": {"ru": "Оплачено", "en": "Paid"},
    "calendar.month_paid": {"ru": "оплачено полностью: {paid}", "en": "paid in full: {paid}"},
    "calendar.earlier": {"ru": "Просрочено до {day}", "en": "Overdue before {day}"},
    "calendar.earlier_help": {
        "ru": "Не оплаченные на дату отчёта суммы со сроком раньше показанных месяцев.",
        "en": "Amounts unpaid as of the as-of date that fell due before the months shown.",
    },
    "calendar.chart_caption": {
        "ru": "Недели — столбцы, дни недели — строки. Синим — ожидаемые поступления, красным — прошедшие дни с "
        "неоплаченными суммами, чёрная рамка — дата отчёта. Нажмите на день, чтобы увидеть его документы.",
        "en": "Weeks are columns, weekdays rows. Blue: payments expected; red: past days with amounts still unpaid; "
        "black outline: the as-of date. Click a day to list its documents.",
    },
    "calendar.legend.nothing": {"ru": "Ничего не причитается", "en": "Nothing due"},
    "calendar.legend.expected": {"ru": "Ожидается", "en": "Expected"},
    "calendar.legend.unpaid": {"ru": "Просрочено, не оплачено", "en": "Past due, unpaid"},
    "calendar.hover.due": {"ru": "К оплате", "en": "Due"},
    "calendar.hover.documents": {"ru": "Документов", "en": "Documents"},
    "calendar.hover.unpaid": {"ru": "срок прошёл, не оплачено", "en": "past due, unpaid"},
    "calendar.weeks": {"ru": "Итоги по неделям", "en": "Totals by week"},
    "calendar.months": {"ru": "Итоги по месяцам", "en": "Totals by month"},
    "calendar.day": {"ru": "День", "en": "Day"},
    "calendar.day_heading": {"ru": "Документы со сроком {day}", "en": "Documents due on {day}"},
    "calendar.day_total": {
        "ru": "Не оплачено на дату отчёта: {amount}, документов: {count}",
        "en": "Unpaid as of the as-of date: {amount}, documents: {count}",
    },
    "calendar.day_nothing": {
        "ru": "На {day} не приходится неоплаченных документов.",
        "en": "No unpaid documents fall due on {day}.",
    },
    "calendar.col.month": {"ru": "Месяц", "en": "Month"},
    "calendar.col.week": {"ru": "Неделя с", "en": "Week of"},
    "calendar.col.due": {"ru": "К оплате", "en": "Due"},
    "calendar.col.unpaid": {"ru": "Просрочено", "en": "Past due"},
    "calendar.col.documents": {"ru": "Документов", "en": "Documents"},
    "calendar.col.document_id": {"ru": "Код документа", "en": "Document ID"},
    "calendar.col.number": {"ru": "Номер", "en": "Number"},
    "calendar.col.counterparty_id": {"ru": "Код контрагента", "en": "Counterparty ID"},
    "calendar.col.counterparty_name": {"ru": "Контрагент", "en": "Counterparty"},
    "calendar.col.contract_id": {"ru": "Договор", "en": "Contract"},
    "calendar.col.currency": {"ru": "Валюта", "en": "Currency"},
    "calendar.col.doc_date": {"ru": "Дата документа", "en": "Document date"},
    "calendar.col.due_date": {"ru": "Срок оплаты", "en": "Due date"},
    "calendar.col.amount": {"ru": "Сумма", "en": "Amount"},
    "calendar.col.open_amount": {"ru": "Не оплачено", "en": "Unpaid"},
    "calendar.col.kind": {"ru": "Вид", "en": "Kind"},
    "calendar.kind.shipment": {"ru": "Отгрузка", "en": "Shipment"},
    "calendar.kind.adjustment": {"ru": "Корректировка", "en": "Adjustment"},
    "calendar.kind.opening": {"ru": "Начальный остаток", "en": "Opening balance"},
    **{
        f"calendar.month.{i + 1}": {"ru": ru, "en": en}
        for i, (ru, en) in enumerate(zip(_MONTHS_RU, _MONTHS_EN, strict=True))
    },
    **{
        f"calendar.weekday.{i}": {"ru": ru, "en": en}
        for i, (ru, en) in enumerate(zip(_WEEKDAYS_RU, _WEEKDAYS_EN, strict=True))
    },
}
