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
    "language": {"ru": "Язык", "en": "Language"},
}


def translate(key: str, language: str = "ru", **values: object) -> str:
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry.get(language) or entry["ru"]
    return text.format(**values) if values else text
