"""Hostile text in, nothing run: spreadsheet formulas stay text in every export (OWASP CSV injection), and
hostile strings reach SQL only as bound parameters (nothing matches that should not, nothing changes).

The hostile warehouse (as of 01.03.2025): K1 `=HYPERLINK("http://x","y")` (manager `@SUM(A1)`, group
`-Сети`) owes S1 1 000,00 on contract C1 «=1+1» (limit 100,00); K2 `+7 Торг` owes S2 500,00 on C2 «-15»;
K3 `-Альфа` shipped S3 100,00 and paid P1 150,00 without a contract, so it holds a 50,00 advance (balance
-50.00); K4 `@SUM(A1)` owes S4 300,00 on C4 «+1». Two shipments are rejected with their raw amounts `=1+2`
and `-5`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from sqlalchemy import Connection, Engine, inspect
from streamlit.testing.v1 import AppTest

from dashboard.services import reminder_run
from dashboard.services.exports import FORMULA_TRIGGERS, for_csv, xlsx_bytes
from dashboard.services.mailer import smtp_settings
from dashboard.services.settings import Config
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from queries import documents
from queries.scope import Scope
from tests.helpers.cli import invoke
from tests.helpers.paths import ROOT
from tests.helpers.tables import table_checksums as all_checksums
from warehouse.engine import make_engine


def table_checksums(engine: Engine) -> dict[str, str]:
    """Every table but the audit log, which an export writes by design (who exported what)."""
    return {name: digest for name, digest in all_checksums(engine).items() if name != "audit_log"}


AS_OF = date(2025, 3, 1)
HYPERLINK = '=HYPERLINK("http://x","y")'
NAMES = {"K1": HYPERLINK, "K2": "+7 Торг", "K3": "-Альфа", "K4": "@SUM(A1)"}
CONTRACT_NUMBERS = {"C1": "=1+1", "C2": "-15", "C4": "+1"}


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)


def hostile_source(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _write_csv(
        folder / "counterparties.csv",
        [
            ["counterparty_id", "name", "manager", "group", "email"],
            ["K1", HYPERLINK, "@SUM(A1)", "-Сети", "k1@example.ru"],
            ["K2", "+7 Торг", "", "", ""],
            ["K3", "-Альфа", "", "", ""],
            ["K4", "@SUM(A1)", "", "", ""],
        ],
    )
    _write_csv(
        folder / "contracts.csv",
        [
            ["contract_id", "counterparty_id", "number", "currency", "terms_days", "credit_limit"],
            ["C1", "K1", "=1+1", "RUB", "10", "100"],
            ["C2", "K2", "-15", "RUB", "10", ""],
            ["C3", "K3", "", "RUB", "0", ""],
            ["C4", "K4", "+1", "RUB", "0", ""],
        ],
    )
    _write_csv(
        folder / "shipments.csv",
        [
            ["document_id", "contract_id", "date", "amount", "number"],
            ["S1", "C1", "2025-01-10", "1000", "=2+2"],
            ["S2", "C2", "2025-01-10", "500", "-7"],
            ["S3", "C3", "2025-01-10", "100", ""],
            ["S4", "C4", "2025-01-10", "300", ""],
            ["S5", "C1", "2025-01-11", "=1+2", ""],
            ["S6", "C1", "2025-01-11", "-5", ""],
        ],
    )
    _write_csv(
        folder / "payments.csv",
        [["document_id", "date", "amount", "counterparty_id", "purpose"], ["P1", "2025-01-20", "150", "K3", "-"]],
    )
    return folder


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def cells(data: bytes) -> list[tuple[object, str]]:
    """(value, openpyxl data_type) of every non-empty cell of every sheet: 's' text, 'n' number, 'f' formula."""
    book = load_workbook(io.BytesIO(data))
    return [(c.value, c.data_type) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]


def assert_text_cells(data: bytes, texts: list[str]) -> None:
    """Each text is in the workbook as a text cell, exactly; no cell anywhere is a formula."""
    found = cells(data)
    assert [value for value, kind in found if kind == "f"] == []
    for text in texts:
        assert (text, "s") in found, f"{text!r} is not a text cell"


# ------------------------------------------------------------------------------------------ the rule


def test_text_that_starts_a_formula_gets_a_quote_and_nothing_else_changes() -> None:
    frame = pl.DataFrame(
        {
            "name": [HYPERLINK, "+7 Торг", "-Альфа", "@SUM(A1)", "\tTab", "\rCR", "a=b", "ООО «Ромашка»", "", None],
            "amount": [-12_345, -5, 0, 5, 100, -100, 1, 2, 3, None],
            "days": [-3, 0, 1, 2, 3, 4, 5, 6, 7, None],
            "day": [date(2025, 1, 31)] * 9 + [None],
        },
        schema={"name": pl.String, "amount": pl.Int64, "days": pl.Int64, "day": pl.Date},
    )
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}
    written = for_csv(frame, ["amount"]).write_csv(date_format="%Y-%m-%d")
    rows = list(csv.reader(io.StringIO(written)))
    assert rows[0] == ["name", "amount", "days", "day"]
    assert [r[0] for r in rows[1:]] == [
        "'" + HYPERLINK,
        "'+7 Торг",
        "'-Альфа",
        "'@SUM(A1)",
        "'\tTab",
        "'\rCR",
        "a=b",
        "ООО «Ромашка»",
        "",
        "",
    ]
    # Money and numbers are not text: a negative amount stays the contract's `-123.45`, days stay numbers.
    assert [r[1] for r in rows[1:]] == ["-123.45", "-0.05", "0.00", "0.05", "1.00", "-1.00", "0.01", "0.02", "0.03", ""]
    assert [r[2] for r in rows[1:]] == ["-3", "0", "1", "2", "3", "4", "5", "6", "7", ""]
    assert rows[1][3] == "2025-01-31"


def test_xlsx_writes_formula_text_and_titles_as_text() -> None:
    frame = pl.DataFrame({"name": list(NAMES.values()), "amount": [-5, 10, 20, 30]})
    data = xlsx_bytes(frame, money=("amount",), title=HYPERLINK + " (K1)")
    assert_text_cells(data, [*NAMES.values(), HYPERLINK + " (K1)"])
    assert (-0.05, "n") in cells(data)  # money is still a number


# ------------------------------------------------------------------------------------ the CLI exports


@pytest.fixture
def hostile_db(db_url: str, tmp_path: Path) -> str:
    done = invoke("load", str(hostile_source(tmp_path / "src")), "--db", db_url)
    assert done.returncode == 0, done.stderr
    return db_url


def export(db_url: str, out: Path, *args: str) -> bytes:
    done = invoke("export", *args, "--db", db_url, "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def test_cli_csv_exports_keep_formulas_as_text(hostile_db: str, tmp_path: Path) -> None:
    aging = read_csv(export(hostile_db, tmp_path / "aging.csv", "aging", "--as-of", "2025-03-01"))
    assert [(r["counterparty_id"], r["counterparty_name"], r["contract_number"], r["balance"]) for r in aging] == [
        ("K1", "'" + HYPERLINK, "'=1+1", "1000.00"),
        ("K2", "'+7 Торг", "'-15", "500.00"),
        ("K3", "'-Альфа", "", "-50.00"),  # an advance: negative money is not text, no quote
        ("K4", "'@SUM(A1)", "'+1", "300.00"),
    ]
    assert (aging[0]["manager"], aging[0]["group"]) == ("'@SUM(A1)", "'-Сети")

    exceptions = read_csv(export(hostile_db, tmp_path / "exceptions.csv", "exceptions", "--as-of", "2025-03-01"))
    names = {r["counterparty_id"]: r["counterparty_name"] for r in exceptions if r["counterparty_id"]}
    assert names == {k: "'" + v for k, v in NAMES.items()}
    limit = next(r for r in exceptions if r["code"] == "credit_limit_exceeded")
    assert limit["amount"] == "900.00"

    stoplist = read_csv(export(hostile_db, tmp_path / "stoplist.csv", "stoplist", "--as-of", "2025-03-01"))
    assert [(r["counterparty_name"], r["manager"], r["to_release"]) for r in stoplist] == [
        ("'" + HYPERLINK, "'@SUM(A1)", "1000.00"),
        ("'+7 Торг", "", "500.00"),
        ("'@SUM(A1)", "", "300.00"),
    ]

    rejects = read_csv(export(hostile_db, tmp_path / "rejects.csv", "rejects"))
    assert [(r["key"], r["value"]) for r in rejects] == [("S5", "'=1+2"), ("S6", "'-5")]

    act = read_csv(
        export(
            hostile_db,
            tmp_path / "act.csv",
            "act",
            "--counterparty",
            "K1",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-01",
        )
    )
    assert [(r["kind"], r["number"], r["debit"]) for r in act] == [
        ("opening", "", "0.00"),
        ("document", "'=2+2", "1000.00"),
        ("turnover", "", "1000.00"),
        ("closing", "", "1000.00"),
    ]


def test_cli_xlsx_exports_write_formulas_as_text_cells(hostile_db: str, tmp_path: Path) -> None:
    aging = export(hostile_db, tmp_path / "aging.xlsx", "aging", "--as-of", "2025-03-01")
    assert_text_cells(aging, [*NAMES.values(), *CONTRACT_NUMBERS.values(), "-Сети"])
    assert (-50.0, "n") in cells(aging)  # K3's balance is still a number
    exceptions = export(hostile_db, tmp_path / "exceptions.xlsx", "exceptions", "--as-of", "2025-03-01")
    assert_text_cells(exceptions, list(NAMES.values()))
    stoplist = export(hostile_db, tmp_path / "stoplist.xlsx", "stoplist", "--as-of", "2025-03-01")
    assert_text_cells(stoplist, [HYPERLINK, "+7 Торг", "@SUM(A1)"])
    rejects = export(hostile_db, tmp_path / "rejects.xlsx", "rejects")
    assert_text_cells(rejects, ["=1+2", "-5"])


def test_act_documents_and_the_batch_index(hostile_db: str, tmp_path: Path) -> None:
    # Our signer starts a cell of the act's signature block: typed as a formula, it would run.
    signer = ("--signer", "=SUM(1,2)", "--signer-position", "@SUM(A1)")
    act = export(
        hostile_db,
        tmp_path / "act.xlsx",
        "act",
        "--counterparty",
        "K1",
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-01",
        *signer,
    )
    assert_text_cells(act, ["=SUM(1,2)", "@SUM(A1)", f"По данным {HYPERLINK}, руб."])

    batch = export(
        hostile_db, tmp_path / "acts.zip", "act", "--all", "--from", "2025-01-01", "--to", "2025-03-01",
        "--format", "xlsx", *signer,
    )  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(batch)) as archive:
        index = read_csv(archive.read("index.csv"))
        assert [(r["counterparty_id"], r["counterparty_name"], r["closing_balance"]) for r in index] == [
            ("K1", "'" + HYPERLINK, "1000.00"),
            ("K2", "'+7 Торг", "500.00"),
            ("K3", "'-Альфа", "-50.00"),
            ("K4", "'@SUM(A1)", "300.00"),
        ]
        # No file in the archive starts with "-", "=", "+" or "@" (an option to a shell, a formula in the index).
        assert [r["file"][0] for r in index] == ["K", "K", "K", "K"]
        for row in index:
            assert_text_cells(archive.read(row["file"]), ["=SUM(1,2)", "@SUM(A1)"])


# ------------------------------------------------------------------------------------ the dashboard


@pytest.fixture
def hostile_app(app_db: str, tmp_path: Path) -> str:
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [hostile_source(tmp_path / "src")])
    engine.dispose()
    return app_db


def page(name: str, counterparty_id: str = "") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    test.session_state["page_context"] = PageContext(
        "ru", Filters(AS_OF, "RUB", manager="", group="", counterparty_id=counterparty_id, contract_id="")
    )
    test.run()
    assert not test.exception
    return test


def downloaded(test: AppTest, deferred: dict[str, Callable[[], object]]) -> dict[str, bytes]:
    """Label -> the bytes a click on that download button gives."""
    files = {}
    for button in test.get("download_button"):
        data = deferred[button.proto.deferred_file_id]()
        label = button.proto.label
        while label in files:  # two buttons may share a label («Скачать Excel» under two tables)
            label += "+"
        files[label] = data if isinstance(data, bytes) else str(data).encode()
    return files


def test_dashboard_downloads_write_formulas_as_text(
    hostile_app: str, downloads: dict[str, Callable[[], object]]
) -> None:
    aging = downloaded(page("aging.py"), downloads)  # by counterparty: names and groups
    assert_text_cells(aging["Скачать Excel"], [*NAMES.values(), "-Сети"])
    contracts = downloaded(page("contracts.py"), downloads)
    assert_text_cells(contracts["Скачать Excel"], [*NAMES.values(), *CONTRACT_NUMBERS.values()])

    exceptions = downloaded(page("exceptions.py"), downloads)
    assert_text_cells(exceptions["Скачать все исключения (Excel)"], list(NAMES.values()))

    stoplist = downloaded(page("stoplist.py"), downloads)
    assert_text_cells(stoplist["Скачать Excel"], [HYPERLINK, "+7 Торг", "@SUM(A1)"])

    card = downloaded(page("counterparty.py", "K1"), downloads)
    # The statement's title starts with the counterparty's name.
    assert_text_cells(card["Выписка за 12 месяцев (Excel)"], [f"{HYPERLINK} (K1): 02.03.2024 – 01.03.2025, RUB"])

    act = downloaded(page("act.py", "K1"), downloads)
    assert_text_cells(act["Скачать Excel"], [f"По данным {HYPERLINK}, руб."])
    rows = read_csv(act["Скачать CSV"])
    assert [list(r.values())[1:] for r in rows][1] == ["Реализация (№ =2+2 от 10.01.2025)", "1000.00", ""]


class Outbox:
    """A transport that keeps what it is asked to send."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, email: EmailMessage) -> dict[str, object]:
        self.sent.append(email)
        return {}


def test_reminder_attachments_write_formulas_as_text(hostile_db: str) -> None:
    # S1 and S2 (due 20.01.2025) have their first overdue day on Tuesday 21.01.2025: K1 gets its reminder with
    # the act attached; K2 has no address.
    cfg = Config(
        raw={
            "smtp": {"host": "127.0.0.1", "port": 25, "security": "none", "from": "ar@supplier.ru"},
            "reminders": {"attach_act": "xlsx"},
            "act": {"signer": "=SUM(1,2)", "signer_position": "@SUM(A1)"},
        }
    )
    engine = make_engine(hostile_db, pooled=False)
    try:
        planned = reminder_run.plan(engine, cfg, as_of=date(2025, 1, 21))
        outbox = Outbox()
        report = reminder_run.send(engine, cfg, planned, transport=outbox, smtp=smtp_settings(cfg))  # type: ignore[arg-type]
    finally:
        engine.dispose()
    assert [(o.message.counterparty_id, o.status) for o in report.outcomes] == [("K1", "sent"), ("K2", "no_address")]
    [attachment] = list(outbox.sent[0].iter_attachments())
    assert_text_cells(attachment.get_content(), ["=SUM(1,2)", "@SUM(A1)", f"По данным {HYPERLINK}, руб."])


# ------------------------------------------------------------------------------ SQL: bound parameters
# Every query is SQLAlchemy Core with bound parameters; the only SQL built as text (warehouse/schema.py's bulk
# insert and update, the loader's lock and ANALYZE) names tables and columns from the schema, never a value.

BOBBY = "Robert'); DROP TABLE counterparties; --"
HOSTILE = [
    "'; DROP TABLE documents; --",
    '" OR 1=1 --',
    "Robert'); --",
    "%",
    "_",
    "K%",
    "K_",
    "\\",
    "\\'; DELETE FROM matches; --",
    "' OR '1'='1",
    "Ёжик ☃ 🎉 \u200fעברית\u200e e\u0301",
    "x" * 10_000,
]
AS_OF_SQL = date(2025, 12, 31)


def hostile_ids_source(folder: Path) -> Path:
    """The small ledger of tests/helpers/ledgers.py plus Bobby Tables: a counterparty whose id, name, manager, group,
    contract and documents are hostile strings themselves."""
    from tests.helpers.ledgers import source

    folder = source(folder)
    _write_csv(
        folder / "counterparties_bobby.csv",
        [
            ["counterparty_id", "name", "manager", "group"],
            [BOBBY, "'; DROP TABLE documents; --", '" OR 1=1 -- менеджер', "100%"],
        ],
    )
    _write_csv(
        folder / "contracts_bobby.csv",
        [["contract_id", "counterparty_id", "number", "terms_days"], ["C'1 OR 1=1", BOBBY, "%_\\", "5"]],
    )
    _write_csv(
        folder / "shipments_bobby.csv",
        [["document_id", "contract_id", "date", "amount"], ["S'; --", "C'1 OR 1=1", "2025-06-02", "777.77"]],
    )
    return folder


@pytest.fixture
def bobby(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [hostile_ids_source(tmp_path / "src")])
    return engine


def scoped_queries(conn: Connection, scope: Scope) -> dict[str, object]:
    """Every query that takes a scope, run with it."""
    from queries import (
        aging,
        calendar,
        contracts,
        counterparty,
        dimensions,
        exceptions,
        kpi,
        kpi_position,
        ledger,
        reminders,
        stoplist,
        trend,
    )

    year = date(2025, 1, 1)
    return {
        "aging": aging.aging(conn, as_of=AS_OF_SQL, scope=scope),
        "aging_by_counterparty": aging.aging(conn, as_of=AS_OF_SQL, scope=scope, by="counterparty"),
        "calendar": calendar.payment_calendar(conn, as_of=AS_OF_SQL, date_from=year, date_to=AS_OF_SQL, scope=scope),
        "due_on": calendar.documents_due_on(conn, as_of=AS_OF_SQL, day=date(2025, 12, 2), scope=scope),
        "contracts": contracts.receivables_by_contract(conn, as_of=AS_OF_SQL, scope=scope),
        "settled": counterparty.settled_shipments(conn, date_from=year, as_of=AS_OF_SQL, scope=scope),
        "options": dimensions.filter_options(conn, scope=scope),
        "exceptions": exceptions.exceptions(conn, as_of=AS_OF_SQL, scope=scope),
        "kpi": kpi.kpi_summary(conn, as_of=AS_OF_SQL, scope=scope),
        "position": kpi_position.receivables_position(conn, as_of=AS_OF_SQL, scope=scope),
        "inflow": kpi_position.expected_inflow(conn, as_of=AS_OF_SQL, scope=scope),
        "delinquent": kpi_position.days_delinquent_by_counterparty(conn, as_of=AS_OF_SQL, scope=scope),
        "monthly": kpi.monthly_kpis(conn, date_from=year, date_to=AS_OF_SQL, scope=scope),
        "debits": ledger.open_debits(conn, as_of=AS_OF_SQL, scope=scope),
        "credits": ledger.open_credits(conn, as_of=AS_OF_SQL, scope=scope),
        "contract_details": ledger.contract_details(conn, scope),
        "documents": documents.open_documents(conn, as_of=AS_OF_SQL, scope=scope, include_advances=True),
        "queue": reminders.reminder_queue(conn, as_of=date(2025, 12, 3), scope=scope),
        "log": reminders.reminder_log(conn, scope=scope),
        "stoplist": stoplist.stoplist(conn, as_of=AS_OF_SQL, scope=scope),
        "trend": trend.overdue_trend(conn, date_from=year, date_to=AS_OF_SQL, freq="month", scope=scope),
    }


def id_queries(conn: Connection, value: str) -> dict[str, object]:
    """Every query that takes an id, a kind, a currency or a status as a string, given `value`."""
    from queries import act, counterparty, ledger, reminders
    from queries.reminders import ReminderRules

    period = {"date_from": date(2025, 1, 1), "date_to": AS_OF_SQL}
    return {
        "act": act.act(conn, counterparty_id=value, **period),
        "act_contract": act.act(conn, counterparty_id="K1", contract_id=value, **period),
        "act_currency": act.act(conn, counterparty_id="K1", currency=value, **period),
        "profile": counterparty.counterparty_profile(conn, counterparty_id=value),
        "open_by_contract": documents.open_documents(conn, as_of=AS_OF_SQL, contract_id=value),
        "open_by_counterparty": documents.open_documents(conn, as_of=AS_OF_SQL, counterparty_id=value),
        "matches": documents.document_matches(conn, as_of=AS_OF_SQL, kind=value, document_id=value),
        "matches_of_s2": documents.document_matches(conn, as_of=AS_OF_SQL, kind="shipment", document_id=value),
        "names": ledger.counterparty_names(conn, [value]),
        "log": reminders.reminder_log(conn, statuses=(value,)),
        "queue": reminders.reminder_queue(
            conn, as_of=date(2025, 12, 3), rules=ReminderRules(daily_groups=(value,), opt_out=(value,))
        ),
    }


def same(left: object, right: object) -> bool:
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, pl.DataFrame) and isinstance(right, pl.DataFrame):
        return left.equals(right)
    return left == right


def different(hostile: dict[str, object], plain: dict[str, object]) -> list[str]:
    """The results that differ between a hostile value's and a plain unknown one's."""
    return [name for name in plain if not same(hostile[name], plain[name])]


SCOPE_FIELDS = ("managers", "groups", "counterparty_ids", "contract_ids", "currencies")


def test_hostile_strings_through_every_query_match_nothing_and_change_nothing(bobby: Engine) -> None:
    before = table_checksums(bobby)
    with bobby.connect() as conn:
        everything = scoped_queries(conn, Scope.everything())
        assert everything["aging"].height == 3  # type: ignore[union-attr]  # C1, C3 and Bobby's contract
        # What a plain unknown value gives, once per field: nothing writes in between, so it cannot change.
        plain = {field: scoped_queries(conn, Scope(**{field: ("no such value",)})) for field in SCOPE_FIELDS}
        plain_ids = id_queries(conn, "no such value")
        for value in HOSTILE:
            for field in SCOPE_FIELDS:
                # A hostile value behaves exactly like any unknown one: it matches nothing.
                hostile = scoped_queries(conn, Scope(**{field: (value,)}))
                assert different(hostile, plain[field]) == [], (field, value[:40])
            assert different(id_queries(conn, value), plain_ids) == [], value[:40]
        unknown = scoped_queries(conn, Scope(counterparty_ids=("no such value",)))
        assert unknown["aging"].height == 0  # type: ignore[union-attr]
        assert unknown["options"]["counterparties"].height == 0  # type: ignore[index]
    assert table_checksums(bobby) == before


def test_hostile_ids_in_the_data_match_themselves_exactly(bobby: Engine) -> None:
    from queries.aging import aging
    from queries.counterparty import counterparty_profile

    with bobby.connect() as conn:
        profile = counterparty_profile(conn, counterparty_id=BOBBY)
        assert profile["name"].to_list() == ["'; DROP TABLE documents; --"]
        for scope in (
            Scope(counterparty_ids=(BOBBY,)),
            Scope(managers=('" OR 1=1 -- менеджер',)),
            Scope(groups=("100%",)),
            Scope(contract_ids=("C'1 OR 1=1",)),
        ):
            rows = aging(conn, as_of=AS_OF_SQL, scope=scope)
            assert rows.select("counterparty_id", "contract_number", "balance").rows() == [(BOBBY, "%_\\", 77_777)]
        # `%` and `_` are not wildcards: the group is "100%", not "%" or "100_".
        for group in ("%", "100_", "100"):
            assert aging(conn, as_of=AS_OF_SQL, scope=Scope(groups=(group,))).height == 0
    assert set(inspect(bobby).get_table_names()) >= {"counterparties", "documents", "matches"}


def test_hostile_ids_on_the_command_line(bobby: Engine, db_url: str, tmp_path: Path) -> None:
    before = table_checksums(bobby)
    missing = invoke(
        "export", "act", "--counterparty", HOSTILE[0], "--from", "2025-01-01", "--to", "2025-12-31",
        "--db", db_url, "-o", str(tmp_path / "act.xlsx"),
    )  # fmt: skip
    assert missing.returncode == 1
    assert missing.stderr.startswith("receivables: no act for counterparty '; DROP TABLE documents; --: unknown")
    assert "Traceback" not in missing.stderr
    batch = invoke(
        "export", "act", "--all", "--manager", HOSTILE[1], "--group", "%", "--from", "2025-01-01",
        "--to", "2025-12-31", "--db", db_url, "-o", str(tmp_path / "acts.zip"),
    )  # fmt: skip
    assert batch.returncode == 0, batch.stderr
    assert batch.stdout.strip() == f"act: 0 acts written to {tmp_path / 'acts.zip'}"
    bobby_act = invoke(
        "export", "act", "--counterparty", BOBBY, "--from", "2025-01-01", "--to", "2025-12-31",
        "--db", db_url, "-o", str(tmp_path / "bobby.csv"),
    )  # fmt: skip
    assert bobby_act.returncode == 0, bobby_act.stderr
    rows = read_csv((tmp_path / "bobby.csv").read_bytes())
    assert [(r["kind"], r["document_id"], r["debit"]) for r in rows if r["kind"] in ("document", "closing")] == [
        ("document", "S'; --", "777.77"),
        ("closing", "", "777.77"),
    ]
    assert table_checksums(bobby) == before


PAGES = (
    "overview",
    "trend",
    "payment_calendar",
    "contracts",
    "aging",
    "exceptions",
    "stoplist",
    "reminders",
    "counterparty",
    "act",
    "data",
)
LINK_PARAMS = ("as_of", "currency", "manager", "group", "counterparty", "contract", "lang")


@pytest.fixture
def bobby_app(app_db: str, tmp_path: Path) -> str:
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [hostile_ids_source(tmp_path / "src")])
    engine.dispose()
    return app_db


def linked(params: dict[str, str], page: str) -> AppTest:
    """The app opened by a link with these query parameters, on a page."""
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for name, value in params.items():
        test.query_params[name] = value
    return test.switch_page(f"pages/{page}.py").run()  # the link's first run draws that page


def test_hostile_links_open_every_page_unfiltered_and_change_nothing(bobby_app: str) -> None:
    engine = make_engine(bobby_app, pooled=False)
    before = table_checksums(engine)
    # Each page gets a link whose every parameter is one hostile string (the strings taken in turn).
    for number, page in enumerate(PAGES):
        value = HOSTILE[number % len(HOSTILE)]
        test = linked(dict.fromkeys(LINK_PARAMS, value), page)
        assert not test.exception, (page, value[:40])
        assert not test.error, (page, value[:40])
        # Nothing the link names exists: every filter falls back to everything the user may see, today.
        filters = {name: test.selectbox(key=f"filter_{name}").value for name in LINK_PARAMS[1:-1]}
        assert filters == {"currency": "RUB", "manager": "", "group": "", "counterparty": "", "contract": ""}, page
        assert test.date_input(key="filter_as_of").value == date.today()
        assert value not in [test.query_params.get(name) for name in LINK_PARAMS], page
    # A link to the counterparty whose id and contract are hostile strings opens exactly them.
    test = linked({"as_of": "2025-12-31", "counterparty": BOBBY, "contract": "C'1 OR 1=1"}, "contracts")
    assert not test.exception
    assert test.selectbox(key="filter_counterparty").value == BOBBY
    assert test.selectbox(key="filter_contract").value == "C'1 OR 1=1"
    table = test.dataframe[0].value
    assert list(table["counterparty_name"]) == ["'; DROP TABLE documents; --"]
    assert [str(v) for v in table["balance"]] == ["777.77"]
    assert table_checksums(engine) == before
    engine.dispose()
