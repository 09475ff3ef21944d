"""Reconciliation acts as documents from the warehouse: one act (XLSX or PDF), or a batch as one ZIP.

The CLI (`receivables export act ... -o act.pdf`, `export act --all -o acts.zip`) and the act page call
these; the document itself is dashboard.services.act_document (its wording), act_xlsx and act_pdf (its
renderings). Every act is read through the caller's scope, so a
manager's batch holds only their clients.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from dashboard.formatting import day_expr
from dashboard.i18n import translate
from dashboard.services.act_document import ActHeader, Signer
from dashboard.services.act_pdf import act_pdf_bytes
from dashboard.services.act_xlsx import act_xlsx_bytes
from dashboard.services.exports import for_csv, headers, xlsx_bytes
from dashboard.services.settings import Config
from queries.act import act, act_balance
from queries.documents import KIND_TITLES, RUSSIAN, DocumentWords, act_description_expr
from queries.ledger import counterparty_currencies, counterparty_names
from queries.scope import Scope
from warehouse.state import read_meta

RENDERERS: dict[str, Callable[[pl.DataFrame, ActHeader], bytes]] = {"xlsx": act_xlsx_bytes, "pdf": act_pdf_bytes}
DEFAULT_COMPANY = "Наша организация"
INDEX_SCHEMA = pl.Schema(
    {
        "counterparty_id": pl.String,
        "counterparty_name": pl.String,
        "contract": pl.String,
        "currency": pl.String,
        "closing_balance": pl.Int64,  # kopecks; written as exact decimal text
        "documents": pl.Int64,
        "file": pl.String,
    }
)


def company_name(conn: Connection, config: Config) -> str:
    """The configured name, else the one the warehouse keeps (the demo's), else a neutral placeholder."""
    return config.company_name or read_meta(conn, "company_name") or DEFAULT_COMPANY


def company_signer(config: Config) -> Signer:
    """Our signer from the config's [act] section: `signer_position` and `signer` (the name)."""
    section = config.section("act")
    return Signer(position=str(section.get("signer_position", "")), name=str(section.get("signer", "")))


def contract_label(number: str | None, signed: date | None, contract_id: str) -> str:
    """«№ 7 от 01.12.2024», as the act's «по договору …» line says it."""
    return f"№ {number or contract_id}" + (f" от {signed:%d.%m.%Y}" if signed else "")


def document_words(language: str) -> DocumentWords:
    """The words the act page names documents in: 1C's own in Russian (as the act's files have them), the
    catalog's in another language, with dates as its pages write them."""
    if language == "ru":
        return RUSSIAN
    return DocumentWords(
        titles={kind: translate(f"act.kind.{kind}", language) for kind in KIND_TITLES},
        payment_number=translate("act.payment_number", language),
        number=translate("act.number", language),
        of=translate("act.of", language),
        day=lambda value: day_expr(value, language),
        set_off_under=translate("act.set_off_under", language),
        under=translate("act.under", language),
    )


def act_rows_in(act_frame: pl.DataFrame, language: str) -> pl.DataFrame:
    """An act's rows worded in `language`, for the screen, the page's plain CSV and the card's statement (the
    act's PDF and XLSX, and the CLI's act, stay 1C's Russian form): every document row through the one naming
    rule (queries.documents.act_description_expr, from the row's columns), the opening, turnover and closing
    rows by the catalog's titles."""
    if language == "ru":
        return act_frame  # the act's own words: 1C's
    titles = {kind: translate(f"act.row.{kind}", language) for kind in ("opening", "turnover", "closing")}
    return act_frame.with_columns(
        pl.when(pl.col("kind") == "document")
        .then(act_description_expr(document_words(language)))
        .otherwise(pl.col("kind").replace_strict(titles, default=pl.col("document"), return_dtype=pl.String))
        .alias("document")
    )


def statement_xlsx(act_frame: pl.DataFrame, language: str, title: str) -> bytes:
    """The counterparty card's statement, for our staff: the act's rows in their language (act_rows_in), with
    the columns' headers in it, and the documents' ids beside them."""
    rows = act_rows_in(act_frame, language).select("date", "document", "debit", "credit", "document_id", "contract_id")
    return xlsx_bytes(
        rows,
        money=("debit", "credit"),
        sheet="statement",
        title=title,
        totals=False,
        headers=headers(rows.columns, language),
        language=language,
    )


def _contracts(conn: Connection, ids: list[str]) -> dict[str, tuple[str, str]]:
    """contract_id -> (its «№ … от …» label, its currency)."""
    c = warehouse.contracts
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(ids), 1000):
        rows = conn.execute(
            select(c.c.contract_id, c.c.number, c.c.contract_date, c.c.currency).where(
                c.c.contract_id.in_(ids[start : start + 1000])
            )
        )
        found.update(
            {r.contract_id: (contract_label(r.number, r.contract_date, r.contract_id), r.currency) for r in rows}
        )
    return found


def _names(conn: Connection, ids: list[str]) -> dict[str, str]:
    names = counterparty_names(conn, ids)
    return {cid: name or cid for cid, name in names.select("counterparty_id", "counterparty_name").iter_rows()}


class NoAct(ValueError):
    """No act can be made; the message (English, as the CLI prints it) says why, `code` names it for the app's
    catalog (reconcile_ui.no_act.<code>) and `values` are what that message quotes."""

    def __init__(self, message: str, code: str, **values: str) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


def act_currency(conn: Connection, counterparty_id: str, currency: str | None, scope: Scope) -> str:
    """The currency of a counterparty's act over all its contracts (contract section 1, "Currency of a
    payment"): the one asked for if the counterparty deals in it, else its only one; NoAct otherwise."""
    currencies = counterparty_currencies(conn, counterparty_id, scope)
    if currency is not None and (currency in currencies or not currencies):
        return currency  # no currencies at all: the act says the counterparty is unknown or not visible
    if currency is None and len(currencies) == 1:
        return currencies[0]
    if currency is None and not currencies:
        return "RUB"
    listed = ", ".join(currencies)
    if currency is None:
        raise NoAct(
            f"counterparty {counterparty_id} has contracts in {listed}: choose the act's currency",
            "choose_currency",
            counterparty=counterparty_id,
            currencies=listed,
        )
    raise NoAct(
        f"counterparty {counterparty_id} has no documents in {currency}; its currencies: {listed}",
        "no_currency",
        counterparty=counterparty_id,
        currency=currency,
        currencies=listed,
    )


def existing_act(
    conn: Connection,
    *,
    counterparty_id: str,
    date_from: date,
    date_to: date,
    contract_id: str | None,
    currency: str | None,
    scope: Scope,
) -> tuple[pl.DataFrame, str]:
    """The act's rows and the currency they are in, for the act's documents and the CLI's export alike; an
    act always has its opening and closing rows when it exists, so no rows means an unknown counterparty or
    one outside the scope.

    Without a contract, the act is in `currency`, or, when that is None, in the counterparty's currency
    when it deals in one; a currency it does not deal in, or none chosen among several, is an error that
    names the currencies it has (an act of zeros was printed before). A contract's act is in the contract's
    own currency, whatever was asked (the currency returned is then the one asked for, or RUB)."""
    settled = act_currency(conn, counterparty_id, currency, scope) if contract_id is None else currency or "RUB"
    frame = act(
        conn,
        counterparty_id=counterparty_id,
        date_from=date_from,
        date_to=date_to,
        contract_id=contract_id,
        currency=settled,
        scope=scope,
    )
    if frame.height == 0:
        raise NoAct(
            f"no act for counterparty {counterparty_id}: unknown, or not visible to you",
            "unknown",
            counterparty=counterparty_id,
        )
    return frame, settled


def render_act(
    conn: Connection,
    config: Config,
    *,
    counterparty_id: str,
    date_from: date,
    date_to: date,
    contract_id: str | None = None,
    currency: str | None = None,
    scope: Scope | None = None,
    fmt: str = "pdf",
    signer: Signer | None = None,
) -> bytes:
    """One act as XLSX or PDF. An unknown counterparty (or one outside the scope) is an error that says so;
    the currency as existing_act settles it."""
    scope = scope or Scope.everything()
    frame, currency = existing_act(
        conn,
        counterparty_id=counterparty_id,
        date_from=date_from,
        date_to=date_to,
        contract_id=contract_id,
        currency=currency,
        scope=scope,
    )
    label = None
    if contract_id:  # a contract's act is in the contract's own currency, whatever was asked
        label, currency = _contracts(conn, [contract_id])[contract_id]
    header = ActHeader(
        company=company_name(conn, config),
        counterparty=_names(conn, [counterparty_id]).get(counterparty_id, counterparty_id),
        date_from=date_from,
        date_to=date_to,
        contract=label,
        currency=currency,
        company_signer=signer or company_signer(config),
    )
    return RENDERERS[fmt](frame, header)


@dataclass(frozen=True)
class BatchEntry:
    counterparty_id: str
    counterparty_name: str
    contract_id: str  # empty for an act over all contracts
    contract: str  # the «№ … от …» label, empty for an act over all contracts
    currency: str
    closing: int  # kopecks, > 0 owed to us
    documents: int
    file: str


@dataclass(frozen=True)
class Batch:
    data: bytes  # the ZIP
    entries: list[BatchEntry]


def _candidates(
    conn: Connection, *, date_to: date, scope: Scope, per_contract: bool
) -> list[tuple[str, str, str | None]]:
    """(counterparty_id, currency, contract_id or None) with any document up to date_to: an act that can say
    something. One SQL pass; the acts themselves decide which of these have a balance or a movement."""
    d = warehouse.documents
    keys = [d.c.counterparty_id, d.c.currency] + ([d.c.contract_id] if per_contract else [])
    query = (
        select(*keys)
        .where(d.c.doc_date <= date_to, d.c.counterparty_id.is_not(None), scope.document_filter())  # not unidentified
        .group_by(*keys)
        .order_by(*keys)
    )
    if per_contract:
        query = query.where(d.c.contract_id.is_not(None))
    return [(r[0], r[1], r[2] if per_contract else None) for r in conn.execute(query)]


_UNSAFE = re.compile(r'[\\/:*?"<>|«»\x00-\x1f]+')


def file_stem(counterparty_id: str, name: str, contract: str, currency: str, date_from: date, date_to: date) -> str:
    """A file name that every OS and archiver accepts: no path separators or reserved characters."""
    parts = [
        counterparty_id,
        name[:60],
        contract.replace("№", "").strip(),
        currency,
        f"{date_from:%Y%m%d}-{date_to:%Y%m%d}",
    ]
    stem = "_".join(_UNSAFE.sub(" ", p).strip().replace(" ", "_") for p in parts if p)
    # No leading "-" (an option to a shell) or "=", "+", "@" (a formula where index.csv names the file).
    return re.sub(r"_+", "_", stem).strip("._").lstrip("=+-@._") or counterparty_id


def acts_zip(
    conn: Connection,
    config: Config,
    *,
    date_from: date,
    date_to: date,
    scope: Scope | None = None,
    fmt: str = "pdf",
    per_contract: bool = False,
    with_balance: bool = False,
    signer: Signer | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Batch:
    """Acts of every counterparty in the scope (one per currency, or one per contract) as one ZIP.

    Kept: acts with a closing balance, and, unless `with_balance`, also those with documents in the period.
    The ZIP also holds index.csv: one line per act with its closing balance (exact, `1234.56`) and file.
    """
    if date_from > date_to:
        raise ValueError(f"the act's period starts after it ends: {date_from} > {date_to}")
    if fmt not in RENDERERS:
        raise ValueError(f"unknown act format {fmt!r}: pdf or xlsx")
    scope = scope or Scope.everything()
    candidates = _candidates(conn, date_to=date_to, scope=scope, per_contract=per_contract)
    names = _names(conn, sorted({c[0] for c in candidates}))
    contracts = _contracts(conn, sorted({c[2] for c in candidates if c[2]}))
    company = company_name(conn, config)
    signer = signer or company_signer(config)

    entries: list[BatchEntry] = []
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (counterparty_id, currency, contract_id) in enumerate(candidates, 1):
            if progress is not None:
                progress(done, len(candidates))
            frame = act(
                conn,
                counterparty_id=counterparty_id,
                date_from=date_from,
                date_to=date_to,
                contract_id=contract_id,
                currency=currency,
                scope=scope,
            )
            if frame.height == 0:
                continue
            closing = act_balance(frame)
            documents = int((frame["kind"] == "document").sum())
            if closing == 0 and (with_balance or documents == 0):
                continue
            name = names.get(counterparty_id, counterparty_id)
            label = contracts[contract_id][0] if contract_id else ""
            header = ActHeader(
                company=company,
                counterparty=name,
                date_from=date_from,
                date_to=date_to,
                contract=label or None,
                currency=currency,
                company_signer=signer,
            )
            stem = file_stem(counterparty_id, name, label, currency, date_from, date_to)
            file = f"{stem}.{fmt}"
            suffix = 2
            while file in used:  # two contracts with one number: keep both
                file = f"{stem}_{suffix}.{fmt}"
                suffix += 1
            used.add(file)
            archive.writestr(file, RENDERERS[fmt](frame, header))
            entries.append(
                BatchEntry(counterparty_id, name, contract_id or "", label, currency, closing, documents, file)
            )
        index = pl.DataFrame(
            [
                (e.counterparty_id, e.counterparty_name, e.contract, e.currency, e.closing, e.documents, e.file)
                for e in entries
            ],
            schema=INDEX_SCHEMA,
            orient="row",
        )
        # for_csv: the exact money text, and a counterparty named "=..." stays text in Excel.
        archive.writestr("index.csv", for_csv(index, ["closing_balance"]).write_csv().encode("utf-8-sig"))
    return Batch(buffer.getvalue(), entries)
