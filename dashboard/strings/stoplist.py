"""Strings of the page «Стоп-лист» (pages/stoplist.py), and the sentence of its rows (stoplist.detail*,
worded column-wise by dashboard.services.wording from queries.stoplist's facts and the rules)."""

STRINGS = {
    "stoplist.page": {"ru": "Стоп-лист", "en": "Stop list"},
    "stoplist.rules": {
        "ru": "Отгрузки останавливаются, если у контрагента {rules}. «К оплате для снятия» — наименьший платёж, "
        "который снимает все нарушения, если он закрывает самые старые долги первыми.",
        "en": "Shipments stop when a counterparty has {rules}. “To release” is the smallest payment that lifts "
        "every broken rule when it closes the oldest debts first.",
    },
    "stoplist.rules.or": {"ru": " или ", "en": " or "},
    "stoplist.rules.none": {
        "ru": "Все правила стоп-листа выключены в настройках ([stoplist]).",
        "en": "Every stop-list rule is turned off in the settings ([stoplist]).",
    },
    "stoplist.rule.overdue_days": {
        "ru": "долг, просроченный более чем на {days} дн.",
        "en": "a debt more than {days} days overdue",
    },
    "stoplist.rule.overdue_amount": {
        "ru": "просрочка больше {amount}",
        "en": "overdue debt above {amount}",
    },
    "stoplist.rule.credit_limit": {
        "ru": "договор с сальдо выше кредитного лимита",
        "en": "a contract with its balance above the credit limit",
    },
    "stoplist.all_clear": {
        "ru": "На {day} останавливать отгрузки некому.",
        "en": "As of {day} there is no one to stop shipping to.",
    },
    "stoplist.tile.count": {"ru": "Контрагентов в стоп-листе", "en": "Counterparties stopped"},
    "stoplist.tile.to_release": {"ru": "К оплате для снятия, всего", "en": "To release, total"},
    "stoplist.tile.overdue": {"ru": "Их просрочка", "en": "Their overdue debt"},
    "stoplist.reason.overdue_days": {"ru": "срок просрочки", "en": "days overdue"},
    "stoplist.reason.overdue_amount": {"ru": "сумма просрочки", "en": "overdue amount"},
    "stoplist.reason.credit_limit": {"ru": "кредитный лимит", "en": "credit limit"},
    "stoplist.col.reasons": {"ru": "Причины", "en": "Reasons"},
    "stoplist.col.detail": {"ru": "Пояснение", "en": "Detail"},
    "stoplist.col.over_limit": {"ru": "Сверх лимита", "en": "Over limit"},
    "stoplist.col.to_release": {"ru": "К оплате для снятия", "en": "To release"},
    "stoplist.detail": {
        "ru": "{reasons}. Для снятия стопа оплатить {to_release}.",
        "en": "{reasons}. Pay {to_release} to release.",
    },
    "stoplist.detail.overdue_days": {
        "ru": "просрочено более {days} дн.: {late} (макс. {max_days} дн.)",
        "en": "overdue more than {days} d: {late} (max {max_days} d)",
    },
    "stoplist.detail.overdue_amount": {
        "ru": "просрочка {overdue} выше порога {threshold}",
        "en": "overdue {overdue} above {threshold}",
    },
    "stoplist.detail.credit_limit": {
        "ru": "кредитный лимит превышен на {over_limit}",
        "en": "credit limit exceeded by {over_limit}",
    },
}
