"""The upload box's mapping form: a file whose headings the product does not know."""

STRINGS = {
    "mapping.title": {"ru": "Сопоставьте колонки файла {name}", "en": "Map the columns of {name}"},
    "mapping.unknown_kind": {
        "ru": "По имени файла не понять, что в нём. Выберите вид данных.",
        "en": "The file's name does not say what it holds. Choose the kind of data.",
    },
    "mapping.missing": {
        "ru": "Не хватает колонок: {columns}. Укажите, какая колонка файла что содержит; сопоставление "
        "запомнится для следующих файлов с теми же заголовками. Контрагент и договор можно указывать "
        "наименованием, ИНН или номером, как в 1С.",
        "en": "Columns missing: {columns}. Say which column of the file holds what; the mapping is remembered "
        "for the next files with the same headings. The counterparty and the contract may be given by name, "
        "INN or number, as in 1C.",
    },
    "mapping.entity": {"ru": "Вид данных", "en": "Kind of data"},
    "mapping.ignore": {"ru": "— не загружать —", "en": "— ignore —"},
    "mapping.preview": {"ru": "Первые строки файла", "en": "The file's first rows"},
    "mapping.save": {"ru": "Запомнить сопоставление", "en": "Remember the mapping"},
    "mapping.saved": {
        "ru": "Сопоставление для {name} сохранено: файл можно загружать.",
        "en": "The mapping of {name} is saved: the file can be loaded.",
    },
    "mapping.still_missing": {
        "ru": "Всё ещё не хватает: {columns}.",
        "en": "Still missing: {columns}.",
    },
    "mapping.twice": {
        "ru": "Колонка «{column}» выбрана дважды.",
        "en": "The column «{column}» is chosen twice.",
    },
    "mapping.unreadable": {"ru": "Файл {name} не прочитать: {reason}", "en": "{name} cannot be read: {reason}"},
    # What each column of the source contract is, as the form offers it.
    "field.document_id": {"ru": "Код документа", "en": "Document id"},
    "field.counterparty_id": {"ru": "Контрагент", "en": "Counterparty"},
    "field.contract_id": {"ru": "Договор", "en": "Contract"},
    "field.document_id_or_number": {
        "ru": "Код документа (или Номер вместе с Датой)",
        "en": "Document id (or Number with Date)",
    },
    "field.name": {"ru": "Наименование", "en": "Name"},
    "field.inn": {"ru": "ИНН", "en": "INN"},
    "field.kpp": {"ru": "КПП", "en": "KPP"},
    "field.manager": {"ru": "Менеджер", "en": "Manager"},
    "field.email": {"ru": "Эл. почта", "en": "E-mail"},
    "field.group": {"ru": "Группа", "en": "Group"},
    "field.number": {"ru": "Номер", "en": "Number"},
    "field.date": {"ru": "Дата", "en": "Date"},
    "field.currency": {"ru": "Валюта", "en": "Currency"},
    "field.terms_days": {"ru": "Срок оплаты, дней", "en": "Payment terms, days"},
    "field.terms_basis": {"ru": "Вид срока (календарные/рабочие)", "en": "Terms basis (calendar/working)"},
    "field.credit_limit": {"ru": "Кредитный лимит", "en": "Credit limit"},
    "field.amount": {"ru": "Сумма", "en": "Amount"},
    "field.due_date": {"ru": "Срок оплаты (дата)", "en": "Due date"},
    "field.vat": {"ru": "НДС", "en": "VAT"},
    "field.warehouse": {"ru": "Склад", "en": "Warehouse"},
    "field.deleted": {"ru": "Пометка удаления", "en": "Deleted"},
    "field.shipment_id": {"ru": "Отгрузка (код)", "en": "Shipment id"},
    "field.payment_id": {"ru": "Оплата (код)", "en": "Payment id"},
    "field.purpose": {"ru": "Назначение платежа", "en": "Payment purpose"},
    "field.kind": {"ru": "Вид дня (holiday/workday)", "en": "Kind of day (holiday/workday)"},
}
