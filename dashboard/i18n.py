"""One catalog of user-facing strings, Russian first, English second."""

from __future__ import annotations

LANGUAGES = ("ru", "en")

CATALOG: dict[str, dict[str, str]] = {
    "app.title": {"ru": "Дебиторская задолженность", "en": "Receivables"},
    "page.overview": {"ru": "Обзор", "en": "Overview"},
    "section.overview": {"ru": "Обзор", "en": "Overview"},
    "status.heading": {"ru": "Состояние хранилища", "en": "Warehouse status"},
    "status.counterparties": {"ru": "Контрагенты", "en": "Counterparties"},
    "status.contracts": {"ru": "Договоры", "en": "Contracts"},
    "status.documents": {"ru": "Документы", "en": "Documents"},
    "status.rejects": {"ru": "Отклонённые строки", "en": "Rejected rows"},
    "status.unidentified": {"ru": "Неопознанные платежи", "en": "Unidentified payments"},
    "status.last_load": {
        "ru": "Последняя загрузка № {load_id}: {when}, {seconds} с, файлов: {files}",
        "en": "Last load #{load_id}: {when}, {seconds} s, files: {files}",
    },
    "status.empty": {
        "ru": "Хранилище пусто. Загрузите данные: `receivables load ПАПКА` или `receivables demo`.",
        "en": "The warehouse is empty. Load data: `receivables load FOLDER` or `receivables demo`.",
    },
    "status.placeholder": {
        "ru": "Отчёты (старение, календарь платежей, акты сверки) появятся в следующих версиях.",
        "en": "Reports (aging, payment calendar, reconciliation acts) arrive in the next versions.",
    },
    "page.aging": {"ru": "Старение задолженности", "en": "Aging"},
    "section.credit": {"ru": "Кредитный контроль", "en": "Credit control"},
    "section.documents": {"ru": "Документы", "en": "Documents"},
    "page.data": {"ru": "Данные", "en": "Data"},
    "filter.as_of": {"ru": "На дату", "en": "As of"},
    "filter.currency": {"ru": "Валюта", "en": "Currency"},
    "filter.manager": {"ru": "Менеджер", "en": "Manager"},
    "filter.group": {"ru": "Группа", "en": "Group"},
    "filter.counterparty": {"ru": "Контрагент", "en": "Counterparty"},
    "filter.contract": {"ru": "Договор", "en": "Contract"},
    "filter.all": {"ru": "Все", "en": "All"},
    "download.xlsx": {"ru": "Скачать Excel", "en": "Download Excel"},
    # Streamlit's file uploader, worded by dashboard.ui.uploader
    "upload.choose_files": {"ru": "Выбрать файлы", "en": "Choose files"},
    "upload.choose_file": {"ru": "Выбрать файл", "en": "Choose a file"},
    "upload.limit": {"ru": "до {size} МБ на файл • {types}", "en": "Up to {size} MB per file • {types}"},
    "table.card": {"ru": "Карточка", "en": "Card"},
    "table.open_card": {"ru": "Открыть →", "en": "Open →"},
    "table.click_row": {
        "ru": "Щёлкните строку, чтобы открыть карточку; ссылка «Открыть →» откроет её в новой вкладке.",
        "en": "Click a row to open its card; the «Open →» link opens it in a new tab.",
    },
    "table.first_rows": {
        "ru": "Показаны первые {shown} строк из {total}; все строки — в файле Excel.",
        "en": "Showing the first {shown} rows of {total}; the Excel file has every row.",
    },
    "kpi.receivables": {"ru": "Дебиторская задолженность", "en": "Receivables"},
    "kpi.receivables_help": {
        "ru": "Открытые долги клиентов, без вычета полученных авансов (они — отдельной плиткой). Так же считает "
        "страница «Динамика просрочки»; «Сальдо» в таблицах — долги за вычетом авансов.",
        "en": "Clients' open debts, advances received not deducted (they have their own tile). The overdue trend "
        "page counts the same; «Balance» in the tables is the debts less advances.",
    },
    "kpi.advances_help": {
        "ru": "Оплаты, ещё не зачтённые в долги: по договору или по контрагенту в целом.",
        "en": "Payments not yet set against debts: on a contract, or on the counterparty as a whole.",
    },
    "kpi.overdue": {"ru": "Просрочено", "en": "Overdue"},
    "kpi.dso": {"ru": "DSO (countback), дн.", "en": "DSO (countback), days"},
    "kpi.best_dso": {"ru": "Лучший возможный DSO, дн.", "en": "Best possible DSO, days"},
    "kpi.inflow_week": {"ru": "К оплате на этой неделе", "en": "Falling due this week"},
    "kpi.inflow_month": {"ru": "К оплате до конца месяца", "en": "Falling due this month"},
    "kpi.inflow_help": {
        "ru": "Долги со сроком оплаты в эти дни, как если бы все платили в срок. Сколько придёт на самом деле, "
        "с учётом того, как платит каждый клиент, — на странице «Прогноз поступлений».",
        "en": "Debts falling due in these days, as if everyone paid on time. What is likely to come in, by how each "
        "client actually pays, is on the «Cash-in forecast» page.",
    },
    "kpi.advances": {"ru": "Авансы полученные", "en": "Advances received"},
    "overview.trend": {"ru": "Динамика за 26 недель", "en": "Last 26 weeks"},
    "overview.buckets": {"ru": "По срокам", "en": "By due date"},
    "overview.top": {"ru": "Крупнейшие должники", "en": "Top debtors"},
    "col.not_due": {"ru": "Не наступил срок", "en": "Not due"},
    "col.overdue": {"ru": "Просрочено", "en": "Overdue"},
    "col.balance": {"ru": "Сальдо", "en": "Balance"},
    "col.advance": {"ru": "Аванс", "en": "Advance"},
    "col.counterparty_name": {"ru": "Контрагент", "en": "Counterparty"},
    "col.contract_number": {"ru": "Договор", "en": "Contract"},
    "col.credit_limit": {"ru": "Кредитный лимит", "en": "Credit limit"},
    "col.max_days_overdue": {"ru": "Макс. дней просрочки", "en": "Max days overdue"},
    "col.manager": {"ru": "Менеджер", "en": "Manager"},
    "col.group": {"ru": "Группа", "en": "Group"},
    "col.currency": {"ru": "Валюта", "en": "Currency"},
    "col.contract_id": {"ru": "Код договора", "en": "Contract ID"},
    "aging.by": {"ru": "Разрез", "en": "Group by"},
    "aging.by.counterparty": {"ru": "Контрагенты", "en": "Counterparties"},
    "aging.by.manager": {"ru": "Менеджеры", "en": "Managers"},
    "aging.by.group": {"ru": "Группы", "en": "Groups"},
    "aging.chart": {"ru": "Топ-20 по сальдо", "en": "Top 20 by balance"},
    "aging.nothing": {"ru": "На эту дату задолженности нет.", "en": "Nothing is owed on this date."},
    "aging.counterparties": {"ru": "Контрагентов", "en": "Counterparties"},
    "language": {"ru": "Язык", "en": "Language"},
}


def _merge_page_strings() -> None:
    """Pages keep their own strings in dashboard/strings/<page>.py (a STRINGS dict of the same shape);
    they all land in this one catalog, and a key defined twice is a mistake caught at import."""
    import importlib
    import pkgutil

    from dashboard import strings

    for module_info in sorted(pkgutil.iter_modules(strings.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"dashboard.strings.{module_info.name}")
        for key, entry in module.STRINGS.items():
            if key in CATALOG:
                raise KeyError(f"string {key!r} is defined twice (dashboard/strings/{module_info.name}.py)")
            CATALOG[key] = entry


_merge_page_strings()


def translate(key: str, language: str = "ru", **values: object) -> str:
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry.get(language) or entry["ru"]
    return text.format(**values) if values else text


def bucket_parts(name: str, language: str = "ru") -> tuple[str, str]:
    """A bucket's span of days and what they count: `due_8_14` -> («8–14», «дн. до срока»),
    `overdue_181_plus` -> («181+», «дн. просрочки»); in English («8–14», "days to due")."""
    kind, low, high = name.split("_", 2) if name.count("_") >= 2 else (name, "", "")
    span = f"{low}+" if high == "plus" else f"{low}–{high}"
    if kind == "due":
        return span, "дн. до срока" if language == "ru" else "days to due"
    return span, "дн. просрочки" if language == "ru" else "days overdue"


def bucket_label(name: str, language: str = "ru") -> str:
    """`due_8_14` -> «8–14 дн. до срока», `overdue_181_plus` -> «181+ дн. просрочки»."""
    span, unit = bucket_parts(name, language)
    if language == "ru":
        return f"{span} {unit}"
    return f"due in {span} d" if name.startswith("due") else f"{span} d overdue"
