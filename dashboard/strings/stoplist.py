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
    # Releases (issue 17): the CFO or a controller lets a stopped client be shipped to until a day.
    "stoplist.col.status": {"ru": "Статус", "en": "Status"},
    "stoplist.status.stopped": {"ru": "Отгрузки остановлены", "en": "Shipments stopped"},
    "stoplist.status.released": {
        "ru": "Отгрузки разрешены до {until}: {reason} ({who})",
        "en": "Shipments released until {until}: {reason} ({who})",
    },
    "stoplist.released_count": {
        "ru": "Из них отгрузки разрешены: {count} (см. «Статус»).",
        "en": "Of them released for shipments: {count} (see “Status”).",
    },
    "stoplist.release": {"ru": "Разрешить отгрузки", "en": "Release shipments"},
    "stoplist.release.help": {
        "ru": "Финансовый директор или контролёр может разрешить отгрузки клиенту из стоп-листа "
        "до даты (не более {days} дней) с причиной; это записывается в журнал действий.",
        "en": "The CFO or a controller may release a client on the stop list for shipments until a day "
        "(at most {days} days) with a reason; it is recorded in the audit log.",
    },
    "stoplist.release.client": {"ru": "Контрагент", "en": "Counterparty"},
    "stoplist.release.reason": {"ru": "Причина", "en": "Reason"},
    "stoplist.release.reason_placeholder": {
        "ru": "например: гарантийное письмо, оплата в пути",
        "en": "e.g. a letter of guarantee, a payment on its way",
    },
    "stoplist.release.until": {"ru": "Разрешить до (включительно)", "en": "Released until (inclusive)"},
    "stoplist.release.submit": {"ru": "Разрешить отгрузки", "en": "Release shipments"},
    "stoplist.release.replaces": {
        "ru": "Новое разрешение заменит действующее.",
        "en": "A new release replaces the one in force.",
    },
    "stoplist.release.end": {"ru": "Отменить разрешение", "en": "End the release"},
    "stoplist.release.end_help": {
        "ru": "Разрешение перестанет действовать с {day}.",
        "en": "The release stops counting on {day}.",
    },
    "stoplist.release.done": {
        "ru": "Отгрузки разрешены: {name}, до {until}.",
        "en": "Shipments released: {name}, until {until}.",
    },
    "stoplist.release.ended": {
        "ru": "Разрешение отгрузок отменено с {day}: {name}.",
        "en": "Release ended on {day}: {name}.",
    },
    "stoplist.release.error.reason": {"ru": "Укажите причину.", "en": "Give a reason."},
    "stoplist.release.error.reason_long": {
        "ru": "Причина — не более {limit} символов.",
        "en": "A reason is at most {limit} characters.",
    },
    "stoplist.release.error.until_before": {
        "ru": "Дата окончания {until} раньше начала {date}.",
        "en": "The last day {until} is before the first {date}.",
    },
    "stoplist.release.error.until_far": {
        "ru": "Разрешение — не более чем на {days} дней: до {until} включительно.",
        "en": "A release lasts at most {days} days: until {until}.",
    },
    "stoplist.release.error.counterparty": {
        "ru": "Контрагент {counterparty} не найден.",
        "en": "Counterparty {counterparty} is not known.",
    },
    "stoplist.release.error.not_allowed": {
        "ru": "Разрешать отгрузки могут только финансовый директор и контролёр.",
        "en": "Only the CFO and a controller may release shipments.",
    },
    "stoplist.release.error.no_release": {"ru": "Разрешение не найдено.", "en": "No such release."},
    "stoplist.release.error.ended": {"ru": "Разрешение уже отменено.", "en": "The release was already ended."},
    "stoplist.release.error.ran_out": {
        "ru": "Разрешение закончилось {until}.",
        "en": "The release ran out on {until}.",
    },
    "stoplist.release.error.refused": {"ru": "Не записано: {reason}", "en": "Not written: {reason}"},
}
