"""Strings of the page «Напоминания» (pages/reminders.py)."""

STRINGS = {
    "reminders.page": {"ru": "Напоминания", "en": "Reminders"},
    "reminders.title": {"ru": "Напоминания об оплате", "en": "Payment reminders"},
    "reminders.caption": {
        "ru": "Одно письмо контрагенту в день: все документы, по которым сработало правило, и итоги. Каждое "
        "напоминание записывается в журнал до отправки и подтверждается после, поэтому повторный запуск ничего "
        "не отправит дважды, а ошибки повторятся при следующем запуске.",
        "en": "One e-mail per counterparty and day: every document a rule picked, and the totals. Each reminder "
        "is logged before it is sent and confirmed after, so a second run sends nothing twice and failures are "
        "retried by the next run.",
    },
    "reminders.day_off": {
        "ru": "{day} — нерабочий день: напоминания не отправляются. Ниже — очередь ближайшего рабочего дня, {next}: "
        "она уйдёт в этот день.",
        "en": "{day} is a day off: no reminders go out. Below is the queue of the next working day, {next}: it goes "
        "out that day.",
    },
    "reminders.tab.queue": {"ru": "Очередь на {day}", "en": "Queue for {day}"},
    "reminders.tab.sent": {"ru": "Отправлено", "en": "Sent"},
    "reminders.tab.failures": {"ru": "Ошибки ({count})", "en": "Failures ({count})"},
    "reminders.tab.rules": {"ru": "Правила и шаблоны", "en": "Rules and templates"},
    "reminders.tile.messages": {"ru": "Писем к отправке", "en": "E-mails to send"},
    "reminders.tile.documents": {"ru": "Документов в них", "en": "Documents in them"},
    "reminders.tile.no_address": {"ru": "Без e-mail", "en": "Without e-mail"},
    "reminders.tile.done": {"ru": "Уже отправлено сегодня", "en": "Already sent that day"},
    "reminders.empty": {"ru": "На {day} напоминать некому.", "en": "No one to remind on {day}."},
    "reminders.paused": {"ru": "На паузе", "en": "On hold"},
    "reminders.paused.caption": {
        "ru": "Этим контрагентам не напоминают о долгах ниже, пока открыто обещание оплатить (до его срока "
        "включительно) или спор по документу (до его закрытия). Во «весь долг» письма эти долги входят.",
        "en": "These counterparties are not reminded of the debts below while a promise to pay is open (through "
        "its last day) or a document is disputed (until the dispute is resolved). A letter's whole debt still "
        "includes them.",
    },
    "reminders.paused.promise": {
        "ru": "обещание оплатить {amount} до {until}",
        "en": "promised to pay {amount} by {until}",
    },
    "reminders.paused.dispute": {"ru": "спор с {since}", "en": "disputed since {since}"},
    "reminders.paused.all": {"ru": "все документы ({count})", "en": "all documents ({count})"},
    "reminders.col.document": {"ru": "Документ", "en": "Document"},
    "reminders.col.reason": {"ru": "Причина", "en": "Reason"},
    "reminders.col.held": {"ru": "Долг на паузе", "en": "Debt on hold"},
    "reminders.col.to": {"ru": "Кому", "en": "To"},
    "reminders.col.cc": {"ru": "Копия", "en": "Cc"},
    "reminders.col.documents": {"ru": "Документов", "en": "Documents"},
    "reminders.col.totals": {"ru": "Сумма", "en": "Amount"},
    "reminders.col.rules": {"ru": "Правила", "en": "Rules"},
    "reminders.col.status": {"ru": "Состояние", "en": "Status"},
    "reminders.col.day": {"ru": "День", "en": "Day"},
    "reminders.col.rule": {"ru": "Правило", "en": "Rule"},
    "reminders.col.recipients": {"ru": "Получатели", "en": "Recipients"},
    "reminders.col.attempts": {"ru": "Попыток", "en": "Attempts"},
    "reminders.col.sent_at": {"ru": "Отправлено", "en": "Sent at"},
    "reminders.col.error": {"ru": "Ошибка", "en": "Error"},
    "reminders.col.user": {"ru": "Кто", "en": "By"},
    "reminders.rule.before": {"ru": "до срока", "en": "before due"},
    "reminders.rule.overdue": {"ru": "первый день просрочки", "en": "first overdue day"},
    "reminders.rule.repeat": {"ru": "повтор", "en": "repeat"},
    "reminders.status.would_send": {"ru": "к отправке", "en": "to send"},
    "reminders.status.retry": {"ru": "повтор после ошибки", "en": "retry after a failure"},
    "reminders.status.sent": {"ru": "отправлено", "en": "sent"},
    "reminders.status.failed": {"ru": "ошибка", "en": "failed"},
    "reminders.status.no_address": {"ru": "нет e-mail", "en": "no e-mail"},
    "reminders.status.already_sent": {"ru": "уже отправлено", "en": "already sent"},
    "reminders.status.unconfirmed": {"ru": "не подтверждено", "en": "unconfirmed"},
    "reminders.status.taken": {"ru": "отправляет другой запуск", "en": "another run is sending it"},
    "reminders.status.pending": {"ru": "не подтверждено", "en": "unconfirmed"},
    "reminders.status.retried": {"ru": "отправлено позже", "en": "sent later"},
    "reminders.status.obsolete": {"ru": "уже не нужно", "en": "no longer needed"},
    "reminders.preview": {"ru": "Письмо", "en": "E-mail"},
    "reminders.preview.head": {
        "ru": "**Кому:** {to}  \n**Копия:** {cc}  \n**Тема:** {subject}",
        "en": "**To:** {to}  \n**Cc:** {cc}  \n**Subject:** {subject}",
    },
    "reminders.preview.attachment": {
        "ru": "Вложение: акт сверки с 01.01 по {day} ({fmt}), по каждой валюте.",
        "en": "Attached: the reconciliation act from 1 January to {day} ({fmt}), one per currency.",
    },
    "reminders.send": {"ru": "Отправить писем: {count}", "en": "Send {count} e-mails"},
    "reminders.send.via": {"ru": "Почта уходит через {server}.", "en": "Mail goes through {server}."},
    "reminders.send.not_configured": {
        "ru": "Отправка не настроена: укажите сервер в разделе [smtp] файла настроек или в переменных окружения "
        "RECEIVABLES_SMTP_HOST, RECEIVABLES_SMTP_USER, RECEIVABLES_SMTP_PASSWORD. Просмотр очереди работает и без "
        "этого.",
        "en": "Sending is not set up: give the server in the [smtp] section of the settings file or in "
        "RECEIVABLES_SMTP_HOST, RECEIVABLES_SMTP_USER, RECEIVABLES_SMTP_PASSWORD. The queue can be previewed "
        "without it.",
    },
    "reminders.send.bad_settings": {
        "ru": "Настройки почты с ошибкой: {error}",
        "en": "Mail settings are wrong: {error}",
    },
    "reminders.send.progress": {"ru": "Отправка: {done} из {total}", "en": "Sending: {done} of {total}"},
    "reminders.send.done": {
        "ru": "Отправлено: {sent}, ошибок: {failed}, уже были отправлены: {skipped}. Заняло {seconds} с.",
        "en": "Sent: {sent}, failed: {failed}, sent before: {skipped}. Took {seconds} s.",
    },
    "reminders.unconfirmed_earlier": {
        "ru": "Неподтверждённых напоминаний прошлых дней: {count}. Запуск прервался во время их отправки: "
        "проверьте почтовый ящик отправителя; повторно их отправит `receivables remind --send --retry-unconfirmed`.",
        "en": "Unconfirmed reminders of earlier days: {count}. A run stopped while sending them: check the "
        "sender's mailbox; `receivables remind --send --retry-unconfirmed` resends them.",
    },
    "reminders.sent.caption": {
        "ru": "Журнал за 30 дней по {day}: одна строка на контрагента, правило и день.",
        "en": "The log for the 30 days to {day}: one row per counterparty, rule and day.",
    },
    "reminders.sent.none": {"ru": "За эти дни ничего не отправлено.", "en": "Nothing was sent in these days."},
    "reminders.failures.caption": {
        "ru": "Ошибки повторяются при следующем запуске (в тот же день или в письме следующего рабочего дня). "
        "«Не подтверждено» — запуск прервался во время отправки: такое письмо само не повторяется, чтобы не "
        "отправить его дважды.",
        "en": "Failures are retried by the next run (the same day, or within the next working day's e-mail). "
        "“Unconfirmed”: a run stopped while sending it; it is not resent by itself, so as never to send twice.",
    },
    "reminders.failures.none": {"ru": "Ошибок нет.", "en": "No failures."},
    "reminders.rules.source.page": {
        "ru": "Действуют настройки, сохранённые на этой странице (они важнее файла настроек).",
        "en": "The settings saved on this page are in force (they take precedence over the settings file).",
    },
    "reminders.rules.source.file": {
        "ru": "Действуют настройки из файла ([reminders]) или значения по умолчанию.",
        "en": "The settings file ([reminders]) or the defaults are in force.",
    },
    "reminders.rules.before_days": {
        "ru": "Напомнить за N дней до срока (0 — нет)",
        "en": "Remind N days before due (0: no)",
    },
    "reminders.rules.on_overdue": {"ru": "Напомнить в первый день просрочки", "en": "Remind on the first overdue day"},
    "reminders.rules.every_days": {"ru": "Затем повторять каждые K дней", "en": "Then repeat every K days"},
    "reminders.rules.daily_groups": {"ru": "Группы, которым напоминать ежедневно", "en": "Groups reminded daily"},
    "reminders.rules.max_reminders": {
        "ru": "Не больше M напоминаний о документе после срока (0 — без предела)",
        "en": "At most M reminders per document once overdue (0: no limit)",
    },
    "reminders.rules.opt_out": {"ru": "Не напоминать контрагентам", "en": "Never remind these counterparties"},
    "reminders.rules.language": {"ru": "Язык писем", "en": "Language of the e-mails"},
    "reminders.rules.attach_act": {"ru": "Прикладывать акт сверки", "en": "Attach the reconciliation act"},
    "reminders.rules.attach.none": {"ru": "нет", "en": "no"},
    "reminders.rules.subject": {"ru": "Тема ({name})", "en": "Subject ({name})"},
    "reminders.rules.body": {"ru": "Текст письма ({name})", "en": "Body ({name})"},
    "reminders.rules.fields": {
        "ru": "Поля шаблона: {fields}. Фигурную скобку саму по себе пишите дважды: {{{{ }}}}.",
        "en": "Template fields: {fields}. Write a literal brace twice: {{{{ }}}}.",
    },
    "reminders.rules.groups": {
        "ru": "**Свои правила групп.** Пустая ячейка — общее правило. Добавьте строку, чтобы задать группе "
        "свои значения.",
        "en": "**Rules of a group.** A blank cell follows the general rule. Add a row to give a group values "
        "of its own.",
    },
    "reminders.rules.g_before": {"ru": "За N дней до срока", "en": "N days before due"},
    "reminders.rules.g_on_overdue": {"ru": "В день просрочки", "en": "On the first overdue day"},
    "reminders.rules.g_every": {"ru": "Повтор каждые K дней", "en": "Repeat every K days"},
    "reminders.rules.g_max": {"ru": "Не больше M", "en": "At most M"},
    "reminders.rules.choose": {"ru": "Выберите", "en": "Choose"},
    "reminders.rules.save": {"ru": "Сохранить", "en": "Save"},
    "reminders.rules.reset": {"ru": "Вернуть настройки из файла", "en": "Back to the settings file"},
    "reminders.rules.saved": {"ru": "Сохранено.", "en": "Saved."},
    "reminders.rules.invalid": {"ru": "Не сохранено: {error}", "en": "Not saved: {error}"},
    "reminders.rules.config_error": {
        "ru": "Настройки напоминаний с ошибкой: {error}",
        "en": "The reminder settings are wrong: {error}",
    },
    "reminders.bank_hold.stale": {
        "ru": "Напоминания не отправлены: банковские данные загружены только по {through}, а нужны хотя бы по "
        "{needed} — клиент мог заплатить вчера. Загрузите свежую выписку (или измените [reminders] "
        "bank_fresh_days).",
        "en": "Reminders held: the bank data reaches {through} only, and must reach {needed} at least (a client "
        "may have paid yesterday). Load the latest bank statement (or change [reminders] bank_fresh_days).",
    },
    "reminders.bank_hold.none": {
        "ru": "Напоминания не отправлены: не загружено ни одной банковской выписки или оплаты, а нужны данные "
        "хотя бы по {needed}. Загрузите выписку (или измените [reminders] bank_fresh_days).",
        "en": "Reminders held: no bank statement or payment has been loaded, and the bank data must reach "
        "{needed} at least. Load the bank statement (or change [reminders] bank_fresh_days).",
    },
}
