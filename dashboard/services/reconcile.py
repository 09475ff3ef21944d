"""Two-sided reconciliation of a counterparty's act with our books (contract section 5).

Our act comes through the same path the act page and `export act` use (dashboard.services.acts:
`existing_act`, so a counterparty outside the scope is refused the same way); theirs from
dashboard.services.their_act. Their lines are mirrored (their debit is our credit) and matched by
domain.reconcile; the rows people see have the contract's CSV columns, and the table also keeps which of our
act's lines each row holds (to name them in the page's language). `receivables reconcile` and the act page's
«Сверка с контрагентом» both call `reconcile`, then `reconciliation_csv` or reconcile_xlsx.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from dashboard.services.act_document import ActHeader, Signer
from dashboard.services.acts import act_rows_in, company_name, company_signer, contract_label, existing_act
from dashboard.services.exports import for_csv
from dashboard.services.settings import Config
from dashboard.services.their_act import Message, TheirAct
from domain.reconcile import GROUP_SEPARATOR, Explanation, Line, Row, explain, reconcile_rows
from queries.act import act_balance
from queries.ledger import counterparty_names
from queries.scope import Scope
from warehouse.state import read_meta

ROWS_SCHEMA = pl.Schema(
    {
        "status": pl.String,
        "our_date": pl.Date,
        "our_document": pl.String,
        "our_amount": pl.Int64,
        "their_date": pl.Date,
        "their_document": pl.String,
        "their_amount": pl.Int64,
        "difference": pl.Int64,
    }
)
MONEY_COLUMNS = ("our_amount", "their_amount", "difference")
# The table as the program keeps it: the rows people see (ROWS_SCHEMA, every file's and the screen's columns)
# and, last, the indexes of our act's document rows each row holds (domain.reconcile.Row.our_lines), which
# name our side in another language (rows_in); never shown, never written (Reconciliation.rows leaves it out).
OUR_LINES = "our_lines"
TABLE_SCHEMA = pl.Schema({**ROWS_SCHEMA, OUR_LINES: pl.List(pl.Int64)})


@dataclass(frozen=True)
class Reconciliation:
    """Our act, theirs, and the rows matching them (amounts Int64 kopecks signed from our side)."""

    counterparty_id: str
    contract_id: str | None
    currency: str
    date_from: date
    date_to: date
    ours: pl.DataFrame  # queries.act.act's frame
    theirs: TheirAct
    table: pl.DataFrame  # TABLE_SCHEMA (rows_frame): opening (if the openings differ), the lines, balance last

    @property
    def rows(self) -> pl.DataFrame:
        """The rows as people see them (ROWS_SCHEMA: the CSV's, the XLSX's and the screen's columns)."""
        return self.table.select(ROWS_SCHEMA.names())

    @property
    def differences(self) -> int:
        """How many line rows are not matched (opening and balance left out)."""
        return int(self.rows.filter(~pl.col("status").is_in(["matched", "opening", "balance"])).height)

    @property
    def balance_difference(self) -> int:
        """Our closing balance less theirs (mirrored), kopecks: > 0 our books say they owe us more."""
        return int(self.rows.filter(pl.col("status") == "balance")["difference"][0])

    @property
    def explanation(self) -> Explanation:
        return explain(rows_of(self.table))

    @property
    def warnings(self) -> tuple[Message, ...]:
        """Their act's notes, and one when its title names another period than ours."""
        period = self.theirs.period
        if period is None or period == (self.date_from, self.date_to):
            return self.theirs.warnings
        other = Message(
            "reconcile.warning.period",
            (("their_from", period[0]), ("their_to", period[1]), ("from", self.date_from), ("to", self.date_to)),
        )
        return (other, *self.theirs.warnings)


def our_lines(act: pl.DataFrame) -> list[Line]:
    """The act's document rows as lines signed from our side (debit +, credit -), line i the act's i-th document
    row (a Row's our_lines index them so)."""
    documents = act.filter(pl.col("kind") == "document")
    return [
        Line(day, document or "", (debit or 0) - (credit or 0))
        for day, document, debit, credit in documents.select("date", "document", "debit", "credit").iter_rows()
    ]


def their_lines(theirs: TheirAct) -> list[Line]:
    """Their lines mirrored to our side: their credit (a payment they made) lowers what they owe us."""
    return [Line(x.day, x.document, x.credit - x.debit) for x in theirs.lines]


def their_closing(theirs: TheirAct) -> int:
    """Their closing balance as printed (else computed), mirrored to our side."""
    return -(theirs.closing if theirs.closing is not None else theirs.computed_closing)


def rows_frame(rows: list[Row]) -> pl.DataFrame:
    """The rows as a TABLE_SCHEMA frame: ROWS_SCHEMA's columns, which people see, and our_lines, the indexes of
    our lines each row holds, which only the program reads (Reconciliation.rows leaves it out)."""
    values = [
        (
            r.status,
            r.our_date,
            r.our_document,
            r.our_amount,
            r.their_date,
            r.their_document,
            r.their_amount,
            r.difference,
            list(r.our_lines),
        )
        for r in rows
    ]
    return pl.DataFrame(values, schema=TABLE_SCHEMA, orient="row")


def rows_in(rec: Reconciliation, language: str) -> pl.DataFrame:
    """The rows (ROWS_SCHEMA) with our documents named in `language`, for the screen: a row's our_lines are
    rows of our act (its document rows, as our_lines read them), each named in `language` from the act's
    columns (dashboard.services.acts.act_rows_in); a row of several of our lines (a split payment) names each,
    joined as domain.reconcile joins their texts. The contract's CSV and the XLSX for the client keep 1C's
    Russian (their half is the client's own text in any case)."""
    if language == "ru":
        return rec.rows
    ours = rec.ours.filter(pl.col("kind") == "document")
    named = act_rows_in(ours, language)["document"].to_list()
    texts = [
        GROUP_SEPARATOR.join(named[i] for i in indexes) if indexes else text
        for text, indexes in rec.table.select("our_document", OUR_LINES).iter_rows()
    ]
    return rec.rows.with_columns(pl.Series("our_document", texts, dtype=pl.String))


def rows_of(frame: pl.DataFrame) -> list[Row]:
    """A TABLE_SCHEMA frame's rows back as domain.reconcile's Row (its columns are the Row's fields; the
    difference is the Row's own)."""
    return [Row(**{**row, OUR_LINES: tuple(row[OUR_LINES])}) for row in frame.drop("difference").iter_rows(named=True)]


def reconcile(
    conn: Connection,
    *,
    counterparty_id: str,
    date_from: date,
    date_to: date,
    contract_id: str | None = None,
    currency: str | None = None,
    scope: Scope,
    their: TheirAct,
) -> Reconciliation:
    """Our act of the period matched with theirs. ValueError (as the act's) for a counterparty unknown or
    outside the scope, or a currency to choose."""
    ours, settled = existing_act(
        conn,
        counterparty_id=counterparty_id,
        date_from=date_from,
        date_to=date_to,
        contract_id=contract_id,
        currency=currency,
        scope=scope,
    )
    if contract_id is not None:
        settled = _contract(conn, contract_id)[1] or settled
    rows = reconcile_rows(
        our_lines(ours),
        their_lines(their),
        our_opening=act_balance(ours, "opening"),
        their_opening=-their.opening,
        our_closing=act_balance(ours, "closing"),
        their_closing=their_closing(their),
        date_from=date_from,
        date_to=date_to,
    )
    return Reconciliation(counterparty_id, contract_id, settled, date_from, date_to, ours, their, rows_frame(rows))


def reconciliation_csv(rec: Reconciliation) -> bytes:
    """The contract's CSV: status, our_date, our_document, our_amount, their_date, their_document,
    their_amount, difference; money with `.` and two decimals, dates YYYY-MM-DD, UTF-8."""
    # their documents come from a file anyone may send: text that starts like a formula is kept as text
    return for_csv(rec.rows, MONEY_COLUMNS).write_csv(date_format="%Y-%m-%d").encode("utf-8")


def _contract(conn: Connection, contract_id: str) -> tuple[str, str | None]:
    c = warehouse.contracts
    row = conn.execute(
        select(c.c.number, c.c.contract_date, c.c.currency).where(c.c.contract_id == contract_id)
    ).first()
    if row is None:
        return contract_id, None
    return contract_label(row.number, row.contract_date, contract_id), row.currency


def our_names(conn: Connection, config: Config) -> list[str]:
    """The names our half of an act may bear: the configured company name, the warehouse's, and the one our
    acts print when neither is known."""
    names = (config.company_name, read_meta(conn, "company_name"), company_name(conn, config))
    return list(dict.fromkeys(name for name in names if name))


def their_names(conn: Connection, counterparty_id: str) -> list[str]:
    """The counterparty's name as we keep it: the heading of their half when no half names us."""
    names = counterparty_names(conn, [counterparty_id])["counterparty_name"].drop_nulls().to_list()
    return [name for name in names if name]


def reconciliation_header(
    conn: Connection, config: Config, rec: Reconciliation, signer: Signer | None = None
) -> ActHeader:
    """The act's header (parties, period, contract, currency) as the act documents print it."""
    names = counterparty_names(conn, [rec.counterparty_id])
    found = dict(names.select("counterparty_id", "counterparty_name").iter_rows())
    return ActHeader(
        company=company_name(conn, config),
        counterparty=found.get(rec.counterparty_id) or rec.theirs.heading or rec.counterparty_id,
        date_from=rec.date_from,
        date_to=rec.date_to,
        contract=_contract(conn, rec.contract_id)[0] if rec.contract_id else None,
        currency=rec.currency,
        company_signer=signer or company_signer(config),
    )
