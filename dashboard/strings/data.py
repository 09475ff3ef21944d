"""Strings of the data page (pages/data.py): uploads, the load history, the rejects list."""

STRINGS = {
    "data.upload.heading": {"ru": "Загрузка файлов", "en": "Upload files"},
    "data.upload.label": {
        "ru": "Файлы выгрузки из 1С: CSV, XLSX, банковские выписки (TXT), УПД из ЭДО (XML, ZIP)",
        "en": "Files exported from 1C: CSV, XLSX, bank statements (TXT), УПД from EDO (XML, ZIP)",
    },
    "data.upload.help": {
        "ru": "Можно выбрать несколько файлов сразу. Все они загружаются одной транзакцией: "
        "либо всё, что прошло проверку, либо ничего.",
        "en": "Several files at once are fine. They load in one transaction: everything that passes the checks, "
        "or nothing.",
    },
    "data.upload.hint": {
        "ru": "Тип файла определяется по началу имени: counterparties, contracts, shipments, payments… или как "
        "в 1С: «Контрагенты», «Договоры», «Реализация…», «Поступления…», «Возврат…», «Корректировка…»; "
        "выписка 1С (kl_to_1c.txt) и УПД/УКД (XML или архив ЭДО .zip) — по содержимому. Повторная загрузка "
        "того же файла ничего не меняет; исправленный файл с тем же именем заменяет прежний.",
        "en": "A file's kind comes from the start of its name: counterparties, contracts, shipments, payments… or "
        "as 1C names them: «Контрагенты», «Договоры», «Реализация…», «Поступления…», «Возврат…», "
        "«Корректировка…»; a 1C statement (kl_to_1c.txt) and УПД/УКД (XML, or an EDO .zip archive) by their "
        "content. Loading a file again changes nothing; a corrected file of the same name replaces the earlier one.",
    },
    "data.upload.button": {"ru": "Загрузить в хранилище", "en": "Load into the warehouse"},
    "data.upload.running": {"ru": "Загрузка файлов: {files}", "en": "Loading {files} file(s)"},
    "data.upload.failed": {
        "ru": "Загрузка не выполнена, хранилище не изменилось",
        "en": "The load failed; the warehouse is unchanged",
    },
    "data.upload.done_short": {"ru": "Загрузка завершена", "en": "Load finished"},
    "data.upload.done": {
        "ru": "Загрузка № {load_id} завершена: файлов {files}, {seconds} с, сопоставлений записано: {matches}.",
        "en": "Load #{load_id} finished: {files} file(s), {seconds} s, {matches} matches written.",
    },
    "data.upload.edo_skipped": {"ru": "Не долги из архивов ЭДО, пропущены: ", "en": "Not debts, skipped from EDO: "},
    "data.upload.edo_skipped.invoices_only": {
        "ru": "счета-фактуры без передачи товара (СЧФ): {count}",
        "en": "invoice-only СЧФ: {count}",
    },
    "data.upload.edo_skipped.suppliers": {
        "ru": "документы поставщиков: {count}",
        "en": "suppliers' documents: {count}",
    },
    "data.upload.edo_skipped.superseded": {
        "ru": "повторы и исправленные копии: {count}",
        "en": "duplicates and corrected copies: {count}",
    },
    "data.upload.edo_skipped.other_files": {
        "ru": "прочие файлы (подписи, извещения, титулы покупателя): {count}",
        "en": "other files (signatures, receipts, buyers' titles): {count}",
    },
    "data.upload.refused": {"ru": "Файл {name} не принят: {reason}", "en": "File {name} was refused: {reason}"},
    "data.upload.skipped": {"ru": "Файл {name} пропущен: {reason}", "en": "File {name} was skipped: {reason}"},
    "data.upload.unidentified_link": {
        "ru": "Все неопознанные платежи — на странице «Исключения»",
        "en": "All unidentified payments are on the Exceptions page",
    },
    "data.unidentified.doc_date": {"ru": "Дата", "en": "Date"},
    "data.unidentified.doc_number": {"ru": "Номер п/п", "en": "Payment order"},
    "data.unidentified.payer_name": {"ru": "Плательщик", "en": "Payer"},
    "data.unidentified.payer_inn": {"ru": "ИНН плательщика", "en": "Payer's INN"},
    "data.unidentified.amount": {"ru": "Сумма", "en": "Amount"},
    "data.unidentified.currency": {"ru": "Валюта", "en": "Currency"},
    "data.unidentified.purpose": {"ru": "Назначение платежа", "en": "Purpose"},
    "data.upload.unidentified": {
        "ru": "Платежей из выписок без опознанного плательщика: {count}. Они ждут, пока появится контрагент с их ИНН.",
        "en": "Bank payments whose payer is not identified: {count}. They wait for a counterparty with their INN.",
    },
    "data.upload.retried": {
        "ru": "В таблице учтены и строки прошлых загрузок, ждавшие договора или контрагента: проверено снова {count}, "
        "загружено {loaded}.",
        "en": "The table includes rows of earlier loads that waited for a contract or counterparty: {count} checked "
        "again, {loaded} loaded.",
    },
    "data.stage.read": {"ru": "Чтение файлов", "en": "Reading files"},
    "data.stage.validate": {"ru": "Проверка: {entity}", "en": "Checking: {entity}"},
    "data.stage.write": {"ru": "Запись: {entity}", "en": "Writing: {entity}"},
    "data.stage.match": {"ru": "Сопоставление оплат с отгрузками", "en": "Matching payments to shipments"},
    "data.stage.rollups": {"ru": "Пересчёт сводных данных", "en": "Updating the summaries"},
    "data.no_loads": {
        "ru": "Загрузок ещё не было. Загрузите файлы выше или выполните `receivables load ПАПКА` "
        "(для пробы — `receivables demo`).",
        "en": "Nothing has been loaded yet. Upload files above or run `receivables load FOLDER` "
        "(to try it out, `receivables demo`).",
    },
    "data.history": {"ru": "История загрузок", "en": "Load history"},
    "data.load_details": {"ru": "Подробности загрузки", "en": "Load details"},
    "data.load_option": {"ru": "№ {load_id} от {when}", "en": "#{load_id} at {when}"},
    "data.counts": {"ru": "Строки по видам данных", "en": "Rows by kind of data"},
    "data.files": {"ru": "Файлы", "en": "Files"},
    "data.rejects": {"ru": "Отклонённые строки: {count}", "en": "Rejected rows: {count}"},
    "data.no_rejects": {"ru": "Отклонённых строк нет.", "en": "No rejected rows."},
    "data.rejects_hint": {
        "ru": "Исправьте строки в 1С и загрузите файл снова. Строки со ссылкой на ещё не загруженный договор "
        "или контрагента повторяются при каждой загрузке сами.",
        "en": "Correct the rows in 1C and load the file again. Rows referring to a contract or counterparty "
        "not loaded yet are retried at every load by themselves.",
    },
    "data.reject_kind.row": {"ru": "строка", "en": "row"},
    "data.reject_kind.reference": {"ru": "ссылка (повторяется)", "en": "reference (retried)"},
    "data.reject_kind.file": {"ru": "файл", "en": "file"},
    "data.reject_kind.warning": {"ru": "предупреждение", "en": "warning"},
    "data.warnings": {"ru": "Предупреждения: {count}", "en": "Warnings: {count}"},
    "data.warnings_hint": {
        "ru": "Эти строки загружены, но без указанного значения (ИНН, КПП, эл. почта, НДС…): оно неверно. "
        "Исправьте его в 1С и загрузите файл снова.",
        "en": "These rows loaded, but without the value shown (INN, KPP, e-mail, VAT…): it is not valid. "
        "Correct it in 1C and load the file again.",
    },
    "data.entity.calendar": {"ru": "Календарь", "en": "Calendar"},
    "data.entity.counterparties": {"ru": "Контрагенты", "en": "Counterparties"},
    "data.entity.contracts": {"ru": "Договоры", "en": "Contracts"},
    "data.entity.opening_balances": {"ru": "Начальные остатки", "en": "Opening balances"},
    "data.entity.shipments": {"ru": "Отгрузки", "en": "Shipments"},
    "data.entity.returns": {"ru": "Возвраты", "en": "Returns"},
    "data.entity.adjustments": {"ru": "Корректировки", "en": "Adjustments"},
    "data.entity.payments": {"ru": "Оплаты", "en": "Payments"},
    "data.entity.allocations": {"ru": "Распределение оплат", "en": "Allocations"},
    "data.entity.bank_payments": {"ru": "Банковские выписки", "en": "Bank statements"},
    "data.entity.bank_statement": {"ru": "Банковская выписка", "en": "Bank statement"},
    "data.entity.edo": {"ru": "УПД/УКД из ЭДО", "en": "УПД/УКД from EDO"},
    "data.entity.skipped": {"ru": "Пропущен", "en": "Skipped"},
    "data.entity.refused": {"ru": "Не принят", "en": "Refused"},
    "data.col.load_id": {"ru": "№ загрузки", "en": "Load #"},
    "data.col.started": {"ru": "Начало", "en": "Started"},
    "data.col.seconds": {"ru": "Длительность, с", "en": "Duration, s"},
    "data.col.who": {"ru": "Пользователь", "en": "User"},
    "data.col.command": {"ru": "Команда", "en": "Command"},
    "data.col.files": {"ru": "Файлов", "en": "Files"},
    "data.col.refused_files": {"ru": "Не принято файлов", "en": "Files refused"},
    "data.col.size_kb": {"ru": "Размер, КБ", "en": "Size, KB"},
    "data.col.read": {"ru": "Прочитано", "en": "Read"},
    "data.col.new": {"ru": "Новых", "en": "New"},
    "data.col.updated": {"ru": "Изменено", "en": "Updated"},
    "data.col.unchanged": {"ru": "Без изменений", "en": "Unchanged"},
    "data.col.deleted": {"ru": "Удалено", "en": "Deleted"},
    "data.col.rejected": {"ru": "Отклонено", "en": "Rejected"},
    "data.col.matches": {"ru": "Сопоставлений", "en": "Matches"},
    "data.col.status": {"ru": "Статус", "en": "Status"},
    "data.col.entity": {"ru": "Данные", "en": "Data"},
    "data.col.name": {"ru": "Файл", "en": "File"},
    "data.col.rows_read": {"ru": "Строк прочитано", "en": "Rows read"},
    "data.col.message": {"ru": "Причина", "en": "Reason"},
    "data.col.path": {"ru": "Путь", "en": "Path"},
    "data.col.kind": {"ru": "Вид", "en": "Kind"},
    "data.col.file": {"ru": "Файл", "en": "File"},
    "data.col.line": {"ru": "Строка", "en": "Line"},
    "data.col.column": {"ru": "Колонка", "en": "Column"},
    "data.col.value": {"ru": "Значение", "en": "Value"},
    "data.col.reason": {"ru": "Причина", "en": "Reason"},
    "data.col.key": {"ru": "Ключ", "en": "Key"},
}
