"""Reject reasons, load warnings and file messages in Russian, worded for an accountant. The load stores them
in English and the CLI prints them so (outside scripts read that text); dashboard/services/reasons.py renders
them. TABLE: `name: the English reason` with the values the load fills in as {placeholders} (as worded in
etl/validation.py, etl/parsing.py, domain/money.py, etl/load/*.py, etl/sources/**), then `= the Russian`; a line
starting with two spaces goes on. Each is catalog entry reason.<name>, in this order: the first entry that
matches wins, so an entry comes before a more general one. A placeholder matches what PLACEHOLDERS says (else
anything). A Russian placeholder's format spec converts its value: `num` a number Russian style (2,500 -> 2 500),
`decimal` a decimal comma, `one|few|many` the number with the noun's form ({days:день|дня|дней} -> «28 дней»),
`reason` a reason rendered the same way, `entity` an entity as the data page names it, `list` a list cut short
(AND_MORE), `month` MONTHS_IN, `or` ALTERNATIVE, `none` a КНД not given (NOT_GIVEN).
"""

TABLE = """
required_value: required value is empty
  = обязательное значение не заполнено
id_too_long: identifier is longer than {limit} characters
  = идентификатор длиннее {limit:символа|символов|символов}
required_date: required date is empty
  = обязательная дата не заполнена
required_amount: required amount is empty
  = обязательная сумма не заполнена
amount_positive: amount must be greater than zero
  = сумма должна быть больше нуля
amount_not_zero: amount must not be zero
  = сумма не должна быть нулевой
calendar_kind: kind must be holiday or workday
  = вид дня должен быть «выходной» или «рабочий» (holiday или workday)
counterparty_deleted: the counterparty is marked deleted: it is not loaded, and a load never deletes a counterparty
  already in the warehouse
  = контрагент помечен на удаление: он не загружен, а загрузка никогда не удаляет контрагентов, уже имеющихся в
  хранилище
contract_deleted: the contract is marked deleted: it is not loaded, and a load never deletes a contract already in the
  warehouse
  = договор помечен на удаление: он не загружен, а загрузка никогда не удаляет договоры, уже имеющиеся в хранилище
kpp: KPP must have 9 characters (4 digits, 2 digits or letters, 3 digits)
  = КПП должен состоять из 9 символов (4 цифры, затем 2 цифры или буквы, затем 3 цифры)
email: not an e-mail address
  = это не адрес электронной почты
loads_with_others: the row loads with the other addresses
  = строка загружена с остальными адресами
loads_without: the row loads without it
  = строка загружена без этого значения
terms_too_long: payment terms over {days} days look like a mistake
  = отсрочка платежа больше {days:дня|дней|дней} похожа на ошибку
terms_basis: terms_basis must be calendar or working
  = вид срока (terms_basis) должен быть calendar или working (календарные или рабочие дни)
negative_limit: credit limit cannot be negative (leave it empty for no limit)
  = кредитный лимит не может быть отрицательным (если лимита нет, оставьте поле пустым)
vat_range: VAT must be between 0 and the amount
  = НДС должен быть от 0 до суммы документа
payment_reference: a payment needs a contract_id or a counterparty_id
  = в оплате должен быть указан договор (contract_id) или контрагент (counterparty_id)
value_too_long: the value is {length} characters long; at most {limit}
  = длина значения — {length:символ|символа|символов}; допустимо не более {limit:num}
one_column: the whole row is in one column: it seems separated by another delimiter than the header
  = вся строка попала в один столбец: похоже, значения в ней разделены не тем разделителем, что в заголовке
date_range: date out of range: {value} (the year must be between {min_year} and {max_year})
  = дата вне допустимого диапазона: {value} (год должен быть от {min_year} до {max_year})
no_such_month: not a date: {value} (there is no month {month_no})
  = это не дата: {value} (месяца с номером {month_no} нет)
no_such_day: not a date: {value} ({month} {year} has {days} days)
  = это не дата: {value} (в {month:month} {year} года {days:день|дня|дней})
date_empty: date is empty
  = дата не заполнена
date_format: not a date: {value} (expected YYYY-MM-DD or DD.MM.YYYY)
  = это не дата: {value} (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)
date_time: not a date: {value} (the time part is impossible)
  = это не дата: {value} (такого времени суток не бывает)
not_yes_no: not a yes/no value: {value} (expected 1/0, true/false, yes/no, да/нет)
  = это не значение «да/нет»: {value} (ожидается 1/0, true/false, yes/no, да/нет)
number_empty: number is empty
  = число не заполнено
not_whole: not a whole number: {value}
  = это не целое число: {value}
number_too_large: number is too large: {value}
  = слишком большое число: {value}
at_least: must be at least {minimum}: {value}
  = значение должно быть не меньше {minimum}: {value}
inn_digits: INN must contain only digits: {value}
  = ИНН должен состоять только из цифр: {value}
inn_length_zero: INN must have 10 or 12 digits: {value} (has {count}; a leading zero lost in Excel? 0{value} would be
  valid)
  = в ИНН должно быть 10 или 12 цифр: {value} (цифр: {count}; Excel мог потерять ведущий ноль — ИНН 0{value} был бы
  верным)
inn_length: INN must have 10 or 12 digits: {value} (has {count})
  = в ИНН должно быть 10 или 12 цифр: {value} (цифр: {count})
inn_check: INN {value} has a wrong check digit
  = ИНН {value}: неверное контрольное число
not_email: not an email address: {value}
  = это не адрес электронной почты: {value}
amount_empty: amount is empty
  = сумма не заполнена
decimal_twice: not an amount: {value} ('{mark}' is the decimal mark here, yet appears twice)
  = это не сумма: {value} (здесь «{mark}» — десятичный разделитель, а он встречается дважды)
mixed_groups: not an amount: {value} (mixes spaces and '{mark}' between thousands)
  = это не сумма: {value} (разряды разделены то пробелами, то «{mark}»)
space_after_mark: not an amount: {value} (a space after the decimal mark)
  = это не сумма: {value} (пробел после десятичного разделителя)
groups_of_three: not an amount: {value} (digits between thousands separators must come in threes)
  = это не сумма: {value} (между разделителями разрядов должно быть по три цифры)
not_amount: not an amount: {value}
  = это не сумма: {value}
decimals_comma: amount has more than 2 decimals: {value} (',' is read as the decimal mark)
  = в сумме больше двух знаков после запятой: {value} (запятая прочитана как десятичный разделитель)
decimals: amount has more than 2 decimals: {value}
  = в сумме больше двух знаков после запятой: {value}
amount_too_large: amount is too large: {value} (more than {digits} digits of rubles)
  = слишком большая сумма: {value} (в рублях больше {digits:цифры|цифр|цифр})
currency: currency must be a 3-letter ISO code such as RUB (or руб., 643, USD, долл., EUR, евро)
  = валюта должна быть трёхбуквенным кодом ISO, например RUB (или руб., 643, USD, долл., EUR, евро)
duplicate_key: duplicate key: the same {columns} is already at line {line} of this file
  = ключ повторяется: такой же {columns} уже есть в строке {line} этого файла
unknown_counterparty: unknown counterparty
  = контрагент не найден
unknown_contract: unknown contract
  = договор не найден
contract_of_other: contract {contract} belongs to counterparty {counterparty}
  = договор {contract} относится к контрагенту {counterparty}
contract_currency: contract {contract} is in {currency}
  = договор {contract} заключён в валюте {currency}
unknown_shipment: unknown shipment
  = отгрузка не найдена
shipment_and_payment: the shipment belongs to counterparty {shipment}, the payment to {payment}
  = отгрузка относится к контрагенту {shipment}, а оплата — к контрагенту {payment}
shipment_of_other: the shipment belongs to counterparty {counterparty}
  = отгрузка относится к контрагенту {counterparty}
unknown_payment: unknown payment
  = оплата не найдена
payer_unknown: the payment's payer is not identified yet
  = плательщик этой оплаты ещё не опознан
same_name: several counterparties are called so: {items}
  = так называются несколько контрагентов: {items:list}
no_such_counterparty: unknown counterparty (no such code, INN or name)
  = контрагент не найден (нет такого кода, ИНН или наименования)
similar: similar: {items}
  = похожие: {items:list}
contracts_of_match: several contracts of counterparty {counterparty} match: {items}
  = подходят несколько договоров контрагента {counterparty}: {items:list}
contracts_match: several contracts match: {items}
  = подходят несколько договоров: {items:list}
unknown_contract_of: unknown contract of counterparty {counterparty}
  = у контрагента {counterparty} нет такого договора
its_contracts: its contracts: {items}
  = его договоры: {items:list}
several_in: no contract named, and counterparty {counterparty} has several in {currency}: {items}
  = договор не указан, а у контрагента {counterparty} несколько договоров в валюте {currency}: {items:list}
several: no contract named, and counterparty {counterparty} has several: {items}
  = договор не указан, а у контрагента {counterparty} несколько договоров: {items:list}
none_in: no contract named, and counterparty {counterparty} has none in {currency}
  = договор не указан, а у контрагента {counterparty} нет договоров в валюте {currency}
none: no contract named, and counterparty {counterparty} has none
  = договор не указан, а у контрагента {counterparty} нет договоров
row_too_wide: the row has {values} values, the header {width} columns
  = в строке {values:значение|значения|значений}, а в заголовке {width:столбец|столбца|столбцов}
swapped_dates: the {column} column mixes {dates} dates with {texts} texts like {example} (month first): a US-format file
  opened in a day-first Excel, so its other dates may have day and month swapped. Open the original CSV with its dates
  as text, or export the file again from 1C
  = в столбце {column} вперемешку {dates:дата|даты|дат} и {texts:текст|текста|текстов} вида {example} (месяц впереди):
  это файл в американском формате, открытый в Excel с русскими настройками, поэтому в остальных датах день и месяц могли
  поменяться местами. Откройте исходный CSV, загрузив даты как текст, или выгрузите файл из 1С заново
xls: the old Excel .xls format is not supported: save the file as .xlsx or CSV
  = старый формат Excel .xls не поддерживается: сохраните файл как .xlsx или CSV
no_extension: unsupported file type (no extension): expected CSV or XLSX
  = у файла нет расширения: нужен CSV или XLSX
file_type: unsupported file type {suffix}: expected CSV or XLSX
  = тип файла {suffix} не поддерживается: нужен CSV или XLSX
no_header: the file has no header row
  = в файле нет строки заголовка
column_twice: column {name} appears twice in the header
  = столбец {name} встречается в заголовке дважды
columns_missing: required columns missing: {columns} (a {entity} file needs {required})
  = нет обязательных столбцов: {columns} (в файле «{entity:entity}» нужны столбцы {required})
column_missing: required column missing: {columns} (a {entity} file needs {required})
  = нет обязательного столбца: {columns} (в файле «{entity:entity}» нужны столбцы {required})
not_source: not a source file: the name does not start with an entity name ({entities}), it is not a 1C bank statement
  (its first line must be 1CClientBankExchange) and not a УПД/УКД XML
  = это не файл с данными: имя не начинается с названия сущности ({entities}), это не банковская выписка 1С (её первая
  строка — 1CClientBankExchange) и не XML-файл УПД/УКД
skipped: not a known source file (name does not start with an entity name)
  = файл не распознан (имя не начинается с названия сущности)
no_company_inn: the company's INN is not configured ([company] inn in the config): without it a УПД cannot be told from
  a supplier's, so nothing of this EDO file was loaded
  = не задан ИНН компании (inn в разделе [company] конфигурации): без него УПД компании не отличить от УПД поставщика,
  поэтому из этого файла ЭДО ничего не загружено
edo_mine: {mine} of {total} documents are the company's
  = документов компании: {mine} из {total}
edo_other: {count} other files skipped
  = прочих файлов пропущено: {count}
bank_mixed: the statement mixes text encodings: line {utf8_line} is UTF-8, line {bad_line} is not: export it again
  = в выписке смешаны кодировки: строка {utf8_line} в UTF-8, а строка {bad_line} — нет: выгрузите выписку заново
bank_encoding: the statement's text encoding is not recognised (none of its keywords, such as СекцияДокумент, reads in
  Windows-1251, CP866 or UTF-8): export it again in Windows-1251
  = кодировка выписки не распознана (ни одно из ключевых слов, например СекцияДокумент, не читается ни в Windows-1251,
  ни в CP866, ни в UTF-8): выгрузите выписку заново в Windows-1251
bank_bad_byte: the statement is neither UTF-8 nor Windows-1251 text (byte 0x{byte} at offset {offset})
  = текст выписки не в UTF-8 и не в Windows-1251 (байт 0x{byte} по смещению {offset})
cannot_read: cannot read the file: {detail}
  = не удаётся прочитать файл: {detail}
bank_empty: the file is empty, not a 1C bank statement
  = файл пуст, это не банковская выписка 1С
bank_magic: not a 1C bank statement: the first line must be 1CClientBankExchange
  = это не банковская выписка 1С: первой строкой должно быть 1CClientBankExchange
bank_utf16: the statement is UTF-16 text; 1C writes Windows-1251, CP866 or UTF-8: export it again in Windows-1251
  = выписка в кодировке UTF-16, а 1С сохраняет выписки в Windows-1251, CP866 или UTF-8: выгрузите её заново в
  Windows-1251
bank_binary: not a 1C bank statement: the file contains binary data
  = это не банковская выписка 1С: в файле двоичные данные
bank_document_cut: the statement is cut off: document at line {line} has no КонецДокумента
  = выписка обрывается: у документа в строке {line} нет КонецДокумента
bank_no_end: the statement is cut off: it does not end with КонецФайла, so documents may be missing after the last one
  read: export it again
  = выписка обрывается: в её конце нет КонецФайла, поэтому документы после последнего прочитанного могли потеряться:
  выгрузите выписку заново
bank_amount_missing: the amount (Сумма) is missing
  = не указана сумма (Сумма)
bank_amount_positive: the amount (Сумма) must be greater than zero
  = сумма (Сумма) должна быть больше нуля
bank_amount_nan: the amount (Сумма) is not a number
  = сумма (Сумма) — не число
bank_decimals: the amount (Сумма) has more than 2 decimals
  = в сумме (Сумма) больше двух знаков после запятой
bank_date_missing: the date (Дата) is missing
  = не указана дата (Дата)
bank_date_bad: the date (Дата) is not a valid DD.MM.YYYY date
  = дата (Дата) — не дата в формате ДД.ММ.ГГГГ
bank_received_bad: the receipt date (ДатаПоступило) is not a valid DD.MM.YYYY date
  = дата поступления (ДатаПоступило) — не дата в формате ДД.ММ.ГГГГ
csv_xlsx: this is an XLSX workbook (or another ZIP archive), not CSV text: name it .xlsx
  = это книга XLSX (или другой ZIP-архив), а не текст CSV: дайте файлу расширение .xlsx
csv_xls: this is an old Excel .xls workbook, not CSV text: save it as .xlsx or CSV
  = это книга старого формата Excel .xls, а не текст CSV: сохраните её как .xlsx или CSV
csv_utf16: the file looks like UTF-16 text without a byte order mark: save it as UTF-8 or Windows-1251
  = файл похож на текст в UTF-16 без метки порядка байтов: сохраните его в UTF-8 или Windows-1251
csv_binary: this is a binary file, not CSV text
  = это двоичный файл, а не текст CSV
csv_bom: the file starts with a UTF-8 byte order mark, but line {line} is not UTF-8 (Windows-1251 text saved with a
  UTF-8 mark?): save it again as UTF-8 or Windows-1251
  = файл начинается с метки UTF-8, но строка {line} не в UTF-8 (текст в Windows-1251, сохранённый с меткой UTF-8?):
  сохраните его заново в UTF-8 или Windows-1251
csv_utf16_bad: the file claims UTF-16 but cannot be decoded
  = файл помечен как UTF-16, но в этой кодировке не читается
csv_mixed: the file mixes text encodings: line {utf8_line} is UTF-8, line {bad_line} is not (Windows-1251?): save the
  whole file in one encoding
  = в файле смешаны кодировки: строка {utf8_line} в UTF-8, а строка {bad_line} — нет (Windows-1251?): сохраните весь
  файл в одной кодировке
csv_bad_byte: the text encoding is neither UTF-8 nor Windows-1251 (bad byte at line {line})
  = текст не в UTF-8 и не в Windows-1251 (недопустимый байт в строке {line})
csv_dos: the text encoding is neither UTF-8 nor Windows-1251 (DOS/CP866?): save it as UTF-8 or Windows-1251
  = текст не в UTF-8 и не в Windows-1251 (DOS/CP866?): сохраните файл в UTF-8 или Windows-1251
file_empty: the file is empty
  = файл пуст
csv_nul: line {line} holds a NUL character: binary data, not CSV text
  = в строке {line} символ NUL: это двоичные данные, а не текст CSV
csv_unclosed: a quoted value that starts on line {line} is never closed (a missing ")
  = значение в кавычках, начатое в строке {line}, не закрыто (не хватает ")
csv_stray_quote: line {line}: text follows a closing quote; a quote inside a value must be doubled ("")
  = строка {line}: после закрывающей кавычки идёт текст; кавычку внутри значения нужно удваивать ("")
csv_broken: the CSV structure is broken near line {line} ({detail})
  = структура CSV нарушена около строки {line} ({detail})
xlsx_no_workbook: not a readable XLSX workbook (the file is damaged or truncated): the workbook part is missing
  = книга XLSX не читается (файл повреждён или обрезан): в ней нет основной части (workbook)
xlsx_no_sheet: not a readable XLSX workbook (the file is damaged or truncated): sheet {name} is missing
  = книга XLSX не читается (файл повреждён или обрезан): нет листа {name}
xlsx_beyond_xfd: not a readable XLSX workbook (the file is damaged or truncated): a cell reference {cell} is beyond
  column XFD
  = книга XLSX не читается (файл повреждён или обрезан): ссылка на ячейку {cell} выходит за последний столбец XFD
xlsx_shared: not a readable XLSX workbook (the file is damaged or truncated): a cell refers to a missing shared string
  = книга XLSX не читается (файл повреждён или обрезан): ячейка ссылается на несуществующую общую строку
xlsx_damaged: not a readable XLSX workbook (the file is damaged or truncated)
  = книга XLSX не читается (файл повреждён или обрезан)
xlsx_no_sheets: the XLSX workbook has no worksheet
  = в книге XLSX нет ни одного листа
cannot_open: the file cannot be opened: {detail}
  = файл не открывается: {detail}
xlsx_empty: the file is empty, not an XLSX workbook
  = файл пуст, это не книга XLSX
xlsx_protected: not an XLSX workbook: it is an old .xls file or a password-protected workbook; save it in Excel as an
  unprotected .xlsx
  = это не книга XLSX, а старый файл .xls или книга, защищённая паролем: сохраните её в Excel как .xlsx без пароля
zip_bad: not a zip archive, or a damaged one: {detail}
  = это не ZIP-архив или архив повреждён: {detail}
zip_unsafe: the archive names this file with an absolute path or '..': skipped
  = в архиве у этого файла абсолютный путь или путь с «..»: файл пропущен
zip_large: {size} MB when unpacked, above {max_size} MB: skipped
  = в распакованном виде {size:decimal} МБ, больше допустимых {max_size:decimal} МБ: файл пропущен
zip_larger: larger than {max_size} MB when unpacked: skipped unread
  = в распакованном виде больше {max_size:decimal} МБ: файл пропущен без чтения
zip_unpack: cannot be unpacked: {detail}
  = не распаковывается: {detail}
not_upd: not a УПД or УКД: {inner}
  = это не УПД и не УКД: {inner:reason}
xml_too_large: the file is {size} MB, above {max_size} MB: no УПД is that large
  = размер файла {size:decimal} МБ, больше {max_size:decimal} МБ: таких больших УПД не бывает
edo_no_extension: an EDO export is an .xml file or a .zip archive, not a file without extension
  = выгрузка ЭДО — это файл .xml или архив .zip, а не файл без расширения
edo_suffix: an EDO export is an .xml file or a .zip archive, not {suffix}
  = выгрузка ЭДО — это файл .xml или архив .zip, а не {suffix}
xml_encoding: the XML declaration names an unknown text encoding: {encoding}
  = в объявлении XML указана неизвестная кодировка: {encoding}
not_xml: not an XML file
  = это не файл XML
not_fns: not an electronic document of the ФНС format: the root element is <{root}>, not <Файл>
  = это не электронный документ в формате ФНС: корневой элемент — <{root}>, а не <Файл>
no_document_head: the file has no <Документ> element in its first kilobytes
  = в начале файла нет элемента <Документ>
buyer_title: КНД {knd}: the buyer's title of a УПД (ON_NSCHFDOPPOK), not the seller's document
  = КНД {knd}: титул покупателя УПД (ON_NSCHFDOPPOK), а не документ продавца
old_invoice: КНД {knd}: a счёт-фактура of the pre-2017 format (ON_SFAKT), not a УПД
  = КНД {knd}: счёт-фактура в формате до 2017 года (ON_SFAKT), а не УПД
knd_codes: КНД {knd} is neither a УПД (1115131) nor a УКД (1115133, 1115127)
  = КНД {knd:none} — не УПД (1115131) и не УКД (1115133, 1115127)
knd: КНД {knd} is neither a УПД nor a УКД
  = КНД {knd:none} — не УПД и не УКД
xml_malformed: not well-formed XML at line {line}, column {position}: {detail}
  = ошибка в XML в строке {line}, позиция {position}: {detail}
xml_dtd: the XML declares a DTD or entities ({detail}), which no ЭДО document does: refused unread for safety
  = в XML объявлены DTD или сущности ({detail}), чего не бывает ни в одном документе ЭДО: файл отклонён без чтения ради
  безопасности
xml_unreadable: the XML cannot be read: {detail}
  = XML не читается: {detail}
root: the root element is <{root}>, not <Файл>
  = корневой элемент — <{root}>, а не <Файл>
no_document: the file has no <Документ> element
  = в файле нет элемента <Документ>
upd_no_header: the УПД has no <СвСчФакт> (its number, date and parties)
  = в УПД нет <СвСчФакт> (номера, даты и сторон документа)
upd_no_totals: the УПД has no totals (ТаблСчФакт/ВсегоОпл)
  = в УПД нет итогов (ТаблСчФакт/ВсегоОпл)
upd_no_total: ВсегоОпл/@СтТовУчНалВсего is missing (the total with VAT)
  = нет атрибута ВсегоОпл/@СтТовУчНалВсего (итог с НДС)
ukd_no_change: the УКД has no change of the total (ТаблКСчФ/ВсегоУвел or ВсегоУм)
  = в УКД нет изменения итога (ТаблКСчФ/ВсегоУвел или ВсегоУм)
ukd_no_header: the УКД has no <СвКСчФ> (its number, date and parties)
  = в УКД нет <СвКСчФ> (номера, даты и сторон документа)
ukd_no_corrected: the УКД does not name the document it corrects (СвКСчФ/СчФ)
  = в УКД не указан исправляемый документ (СвКСчФ/СчФ)
missing_attribute: {attributes} is missing
  = нет атрибута {attributes:or}
document_date: {path}: the document's date: {inner}
  = {path}: дата документа: {inner:reason}
corrected_date: {path}: its date: {inner}
  = {path}: дата исправляемого документа: {inner:reason}
basis_date: {path}: the basis's date: {inner}
  = {path}: дата основания: {inner:reason}
edo_value: {xpath}: {inner}
  = {xpath}: {inner:reason}
"""

_NUMBER = r"\d+"
_GROUPED = r"\d{1,3}(?:,\d{3})+|\d+"  # 2,500 as the load writes a length
_MONTHS = "January February March April May June July August September October November December"
# What a placeholder of the English side matches, as a regular expression; any other matches anything.
PLACEHOLDERS = {
    **dict.fromkeys(("limit", "length"), _GROUPED),
    **dict.fromkeys(("days", "dates", "texts", "values", "width", "digits", "count", "mine", "total"), _NUMBER),
    **dict.fromkeys(("min_year", "max_year", "year", "month_no", "position", "offset"), _NUMBER),
    **dict.fromkeys(("utf8_line", "bad_line"), _NUMBER),
    "line": r"\d+|None",
    "minimum": r"-?\d+",
    "month": _MONTHS.replace(" ", "|"),
    "mark": r"[.,]",
    "byte": r"[0-9a-f]{2}",
    **dict.fromkeys(("size", "max_size"), r"\d+\.\d"),
    "path": r"[\w@]+(?:/[\w@]+)*",  # an element of a УПД: СвКСчФ/СчФ
    "xpath": r"[\w@]+(?:/[\w@]+)+",  # a value of a УПД: ВсегоОпл/@СтТовУчНалВсего
    "attributes": r"[\w@]+(?:/[\w@]+)*/@\w+(?: or @\w+)*",  # СвСчФакт/@НомерСчФ or @НомерДок
}
# The words the conversions put in.
_MONTHS_IN = "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре"
MONTHS_IN = dict(zip(_MONTHS.split(), _MONTHS_IN.split(), strict=True))  # «в феврале»
AND_MORE = (r" and (\d+) more$", r" и ещё \1")  # a list of candidates cut short
NOT_GIVEN = "(не указан)"  # a КНД the file does not give: "(none)"
ALTERNATIVE = (" or @", " или @")


def _entries(table: str) -> dict[str, dict[str, str]]:
    """TABLE as catalog entries: reason.<name> -> {"ru": ..., "en": ...}, in the table's order."""
    entries: dict[str, dict[str, str]] = {}
    english: list[str] = []
    russian: list[str] = []
    name = ""
    for line in [*table.splitlines(), ""]:
        if line.startswith("  = "):
            russian.append(line[4:])
        elif line.startswith("  "):
            (russian or english).append(line.strip())
        else:
            if name:
                if name in entries or not russian:
                    raise ValueError(f"reason {name!r} is defined twice or has no Russian")
                entries[name] = {"ru": " ".join(russian), "en": " ".join(english)}
            name, english, russian = "", [], []
            if line:
                name, _, first = line.partition(": ")
                english = [first]
    return {f"reason.{name}": entry for name, entry in entries.items()}


STRINGS = _entries(TABLE)
