"""Strings of signing in, roles and the audit log."""

STRINGS = {
    "auth.local_warning": {
        "ru": "Вход не настроен: все видят всех клиентов с правами финансового директора. Настройте [auth].",
        "en": "Sign-in is not configured: everyone sees every client with CFO rights. Configure [auth].",
    },
    "auth.signed_in": {"ru": "Вы вошли как **{user}** ({role})", "en": "Signed in as **{user}** ({role})"},
    "auth.role.cfo": {"ru": "финансовый директор", "en": "CFO"},
    "auth.role.controller": {"ru": "кредитный контролёр", "en": "credit controller"},
    "auth.role.manager": {"ru": "менеджер", "en": "manager"},
    "auth.login.title": {"ru": "Вход в «Дебиторку»", "en": "Sign in to Receivables"},
    "auth.login.text": {
        "ru": "Данные о задолженности клиентов доступны после входа через корпоративную учётную запись.",
        "en": "Client debt data is available after you sign in with your company account.",
    },
    "auth.login.button": {"ru": "Войти", "en": "Sign in"},
    "auth.logout": {"ru": "Выйти", "en": "Sign out"},
    "auth.unknown": {
        "ru": "У учётной записи «{login}» нет доступа к приложению. Попросите администратора добавить её "
        "в [auth.users] с ролью cfo, controller, manager или client.",
        "en": "The account “{login}” has no access to the app. Ask the administrator to add it to "
        "[auth.users] with the role cfo, controller, manager or client.",
    },
    "auth.no_header": {
        "ru": "Приложение ждёт имя пользователя в заголовке {header} от обратного прокси, но запрос пришёл "
        "без него. Откройте приложение через адрес прокси.",
        "en": "The app expects the user name in the {header} header from the reverse proxy, but the request "
        "came without it. Open the app through the proxy's address.",
    },
    "auth.config_error": {
        "ru": "Настройки входа ([auth]) не прочитаны: {reason}",
        "en": "The sign-in settings ([auth]) cannot be used: {reason}",
    },
    "reminders.send.team_only": {
        "ru": "Напоминания отправляют финансовый директор и кредитные контролёры.",
        "en": "Reminders are sent by the CFO and credit controllers.",
    },
    "auth.not_allowed": {
        "ru": "Эта страница доступна финансовому директору и кредитным контролёрам.",
        "en": "This page is for the CFO and credit controllers.",
    },
}

STRINGS |= {
    "page.audit": {"ru": "Журнал действий", "en": "Audit log"},
    "audit.title": {"ru": "Журнал действий", "en": "Audit log"},
    "audit.caption": {
        "ru": "Кто загружал данные, выгружал отчёты и акты, отправлял напоминания, записывал контакты с "
        "клиентами и менял настройки — из приложения и из командной строки.",
        "en": "Who loaded data, exported reports and acts, sent reminders, recorded contacts with clients and "
        "changed settings, from the app and the command line.",
    },
    "audit.period": {"ru": "Период", "en": "Period"},
    "audit.action": {"ru": "Действие", "en": "Action"},
    "audit.user": {"ru": "Пользователь", "en": "User"},
    "audit.empty": {"ru": "За этот период действий нет.", "en": "No actions in this period."},
    "audit.action.load": {"ru": "загрузка", "en": "load"},
    "audit.action.export": {"ru": "выгрузка", "en": "export"},
    "audit.action.reminders_sent": {"ru": "отправка напоминаний", "en": "reminders sent"},
    "audit.action.settings": {"ru": "настройки", "en": "settings"},
    "audit.action.note": {"ru": "запись о контакте", "en": "note"},
    "audit.action.note_resolved": {"ru": "закрытие обещания или спора", "en": "note resolved"},
    "audit.action.stop_release": {"ru": "разрешение отгрузок из стоп-листа", "en": "stop-list release"},
    "audit.action.stop_release_ended": {"ru": "отмена разрешения отгрузок", "en": "stop-list release ended"},
    "audit.col.at": {"ru": "Когда", "en": "When"},
    "audit.col.user": {"ru": "Пользователь", "en": "User"},
    "audit.col.role": {"ru": "Роль", "en": "Role"},
    "audit.col.source": {"ru": "Откуда", "en": "From"},
    "audit.col.action": {"ru": "Действие", "en": "Action"},
    "audit.col.subject": {"ru": "Что", "en": "What"},
    "audit.col.detail": {"ru": "Подробности", "en": "Detail"},  # the file written, a note's text
    "audit.col.rows": {"ru": "Строк", "en": "Rows"},
}
