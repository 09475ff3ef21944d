"""Strings naming the warehouse: where the data page says the data lives, and the app's error when the
warehouse cannot be opened. The URL in them is always masked (warehouse.connect.masked_url)."""

STRINGS = {
    "app.error": {
        "ru": "Страница не открылась из-за внутренней ошибки ({error}). Данные не изменены; подробности записаны "
        "в журнал сервера — передайте администратору время ошибки.",
        "en": "The page could not be shown because of an internal error ({error}). No data was changed; the "
        "details are in the server's log: give the administrator the time it happened.",
    },
    "warehouse.url": {"ru": "Хранилище: `{url}`", "en": "Warehouse: `{url}`"},
    "warehouse.unavailable": {
        "ru": "Хранилище недоступно, страницы не могут быть показаны. Проверьте адрес хранилища "
        "(RECEIVABLES_DB_URL или [database] url в конфигурации) и что сервер базы данных запущен.\n\n{reason}",
        "en": "The warehouse cannot be opened, so no page can be shown. Check the warehouse URL "
        "(RECEIVABLES_DB_URL or [database] url in the configuration) and that the database server is running."
        "\n\n{reason}",
    },
}
