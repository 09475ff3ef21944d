"""Strings of the page «Кому звонить» (pages/worklist.py): the worklist of queries.worklist, its reasons and
next steps in words."""

STRINGS = {
    "worklist.page": {"ru": "Кому звонить", "en": "Worklist"},
    "worklist.summary": {
        "ru": "На {day}: {count} в списке, из них с нарушенным обещанием {broken}.",
        "en": "As of {day}: {count} on the list, {broken} of them with a broken promise.",
    },
    "worklist.about": {
        "ru": "Сначала — нарушенные обещания оплатить (больше недоплата — выше), затем по весу долга: просрочка "
        "с весом по возрасту (месяц просрочки — вдвое, до 180 дней), плюс превышение лимита, плюс четверть "
        "отгрузок при просрочке. Нет в списке: тех, кто обещал заплатить и срок обещания ещё не прошёл, и тех, "
        "чья просрочка только оспариваемая.",
        "en": "Broken promises to pay first (the larger the shortfall, the higher), then by the weight of the debt: "
        "overdue amounts weighted by age (a month late counts twice, up to 180 days), plus the excess over the "
        "credit limit, plus a quarter of the shipments made while overdue. Not on the list: whoever promised to "
        "pay and still has time, and whoever's overdue debt is all disputed.",
    },
    "worklist.all_clear": {
        "ru": "Звонить некому: нет просрочки, нарушенных обещаний и превышенных лимитов.",
        "en": "Nobody to call: no overdue debt, no broken promise, no limit exceeded.",
    },
    "worklist.col.rank": {"ru": "№", "en": "#"},
    "worklist.col.reason": {"ru": "Почему", "en": "Why"},
    "worklist.col.next_step": {"ru": "Что сделать", "en": "Next step"},
    "worklist.col.last_contact": {"ru": "Последний контакт", "en": "Last contact"},
    "worklist.col.missing": {"ru": "Недоплата по обещанию", "en": "Promise shortfall"},
    "worklist.reason.broken_promise": {"ru": "обещание не выполнено", "en": "promise broken"},
    "worklist.reason.overdue": {"ru": "просрочка", "en": "overdue"},
    "worklist.reason.credit_limit_exceeded": {"ru": "превышен лимит", "en": "credit limit exceeded"},
    "worklist.reason.shipped_while_overdue": {"ru": "отгрузки при просрочке", "en": "shipped while overdue"},
    "worklist.reason.no_payment_recently": {"ru": "давно не платит", "en": "no recent payment"},
    "worklist.step.call": {"ru": "позвонить", "en": "call"},
    "worklist.step.email": {"ru": "написать", "en": "e-mail"},
    "worklist.step.stop_shipments": {"ru": "остановить отгрузки", "en": "stop shipments"},
    "worklist.log": {"ru": "Контакт", "en": "Contact"},
    "worklist.log.button": {"ru": "✎ Записать", "en": "✎ Log"},
    "worklist.log.title": {"ru": "Записать контакт", "en": "Log a contact"},
    "worklist.log.who": {"ru": "{name}: просрочено {overdue}", "en": "{name}: {overdue} overdue"},
}
