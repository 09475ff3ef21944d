"""Strings of the overdue trend page (pages/trend.py)."""

STRINGS = {
    "trend.title": {"ru": "Динамика просрочки", "en": "Overdue trend"},
    "trend.freq": {"ru": "Шаг", "en": "Step"},
    "trend.freq.day": {"ru": "День", "en": "Day"},
    "trend.freq.week": {"ru": "Неделя", "en": "Week"},
    "trend.freq.month": {"ru": "Месяц", "en": "Month"},
    "trend.period": {"ru": "Период", "en": "Period"},
    "trend.period_incomplete": {
        "ru": "Выберите и начало, и конец периода.",
        "en": "Choose both the start and the end of the period.",
    },
    "trend.nothing": {
        "ru": "За выбранный период задолженности в {currency} нет.",
        "en": "Nothing was owed in {currency} in the chosen period.",
    },
    "trend.open_debits": {"ru": "Задолженность на {day}", "en": "Receivables on {day}"},
    "trend.overdue_on": {"ru": "Просрочено на {day}", "en": "Overdue on {day}"},
    "trend.overdue_share": {"ru": "Доля просрочки", "en": "Overdue share"},
    "trend.delta_hint": {"ru": "изменение с {day}", "en": "change since {day}"},
    "trend.chart": {
        "ru": "Не наступил срок и просрочка по корзинам",
        "en": "Not due and overdue by bucket",
    },
    "trend.chart_caption": {
        "ru": "Состояние на конец каждого шага (день, воскресенье недели, последний день месяца) и на конец периода. "
        "Старый долг внизу, «не наступил срок» сверху; щелчок по нему в легенде скрывает его и масштабирует просрочку.",
        "en": "The state at the end of each step (a day, a week's Sunday, a month's last day) and at the period end. "
        "The oldest debt is at the bottom, not due on top; click it in the legend to hide it and zoom in on overdue.",
    },
    "trend.data": {"ru": "Данные графика", "en": "Chart data"},
    "trend.kpis": {"ru": "DSO и CEI по месяцам", "en": "DSO and CEI by month"},
    "trend.kpis_caption": {
        "ru": "DSO по методу countback и простой DSO (дни, левая шкала), CEI — эффективность сбора (%, правая шкала). "
        "Неполные месяцы на краях периода считаются по своим дням.",
        "en": "Countback and simple DSO (days, left axis), CEI, the collection effectiveness index (%, right axis). "
        "Months cut by the period's ends count their own days.",
    },
    "trend.kpis_nothing": {
        "ru": "Продаж и задолженности в этом периоде нет: DSO и CEI не определены.",
        "en": "No sales or receivables in this period: DSO and CEI are undefined.",
    },
    "trend.days_axis": {"ru": "дни", "en": "days"},
    "trend.cei_axis": {"ru": "CEI, %", "en": "CEI, %"},
    "trend.col.date": {"ru": "Дата", "en": "Date"},
    "trend.col.balance": {"ru": "Сальдо", "en": "Balance"},
    "trend.col.not_due": {"ru": "Не наступил срок", "en": "Not due"},
    "trend.col.overdue": {"ru": "Просрочено всего", "en": "Overdue, total"},
    "trend.col.currency": {"ru": "Валюта", "en": "Currency"},
    "trend.col.month": {"ru": "Месяц", "en": "Month"},
    "trend.col.period_from": {"ru": "С", "en": "From"},
    "trend.col.period_to": {"ru": "По", "en": "To"},
    "trend.col.period_days": {"ru": "Дней", "en": "Days"},
    "trend.col.receivables_start": {"ru": "Задолженность на начало", "en": "Receivables at start"},
    "trend.col.credit_sales": {"ru": "Продажи в кредит", "en": "Credit sales"},
    "trend.col.receivables": {"ru": "Задолженность на конец", "en": "Receivables at end"},
    "trend.col.current_receivables": {"ru": "В т. ч. не просрочено", "en": "Of which not due"},
    "trend.col.dso_simple": {"ru": "DSO простой, дн.", "en": "DSO simple, days"},
    "trend.col.dso_countback": {"ru": "DSO countback, дн.", "en": "DSO countback, days"},
    "trend.col.dso_countback_is_lower_bound": {"ru": "Countback — не меньше", "en": "Countback is a floor"},
    "trend.col.best_possible_dso": {"ru": "Лучший возможный DSO, дн.", "en": "Best possible DSO, days"},
    "trend.col.average_days_delinquent": {"ru": "Дней просрочки (ADD)", "en": "Average days delinquent"},
    "trend.col.cei": {"ru": "CEI, %", "en": "CEI, %"},
}
