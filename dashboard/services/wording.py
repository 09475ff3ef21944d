"""The sentences of the exceptions list and of the stop-list, in Russian or English, worded column by
column from the facts that queries.exceptions and queries.stoplist return.

The queries answer in codes and numbers; the pages, their Excel downloads and the CLI's exports show a
sentence per row: `detail` in Russian and `detail_en` in English, the two columns the exports have
always had (exceptions_worded, stoplist_worded). The words live in the catalog (dashboard/strings/
exceptions.py and stoplist.py, as templates whose {names} are filled with columns), money is
domain.money's text, dates dashboard.formatting's. A list of 100,000 overdue debits is worded by polars
expressions, one per code over its own rows: never a Python call per row. The exceptions page reads its
list worded once per language through a cached loader (exceptions_in_language).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from string import Formatter

import polars as pl
from sqlalchemy import Connection

from dashboard.formatting import day_expr
from dashboard.i18n import translate
from domain.limits import whole_percent_used_expr
from domain.money import money_en_expr, money_ru_expr
from queries.exceptions import ExceptionRules, exceptions
from queries.scope import Scope
from queries.stoplist import StopRules

# The columns of the exports and of the pages' "download all", as they were before the sentences left
# the queries: the facts give way to detail (Russian) and detail_en (English).
EXCEPTION_COLUMNS = [
    "code",
    "severity",
    "counterparty_id",
    "counterparty_name",
    "contract_id",
    "document_id",
    "currency",
    "amount",
    "days",
    "detail",
    "detail_en",
    "stop_rules",
]
STOPLIST_COLUMNS = [
    "counterparty_id",
    "counterparty_name",
    "manager",
    "currency",
    "reasons",
    "overdue",
    "max_days_overdue",
    "balance",
    "over_limit",
    "to_release",
    "detail",
    "detail_en",
    "released_until",  # a release active as of the date (queries.releases): shipments allowed until then
    "release_reason",
    "released_by",
]
_NAMED_KINDS = ("payment", "return", "adjustment", "opening")  # every kind but a shipment, known by its number


def detail_column(language: str) -> str:
    """The sentence's column in `language`: detail (Russian) or detail_en."""
    return "detail" if language == "ru" else "detail_en"


def _sentence(key: str, language: str, **values: pl.Expr) -> pl.Expr:
    """The catalog's text of `key` with each {name} filled by the column expression values[name]."""
    parts: list[pl.Expr] = []
    for literal, name, _, _ in Formatter().parse(translate(key, language)):
        if literal:
            parts.append(pl.lit(literal))
        if name is not None:
            parts.append(values[name])
    return pl.concat_str(parts)


def _money(kopecks: pl.Expr, currency: pl.Expr, language: str) -> pl.Expr:
    return money_ru_expr(kopecks, currency) if language == "ru" else money_en_expr(kopecks, currency)


def _amount(column: str, language: str) -> pl.Expr:
    return _money(pl.col(column), pl.col("currency"), language)


def _filled(column: str) -> pl.Expr:
    return pl.col(column).is_not_null() & (pl.col(column) != "")


# -- exceptions ----------------------------------------------------------------------------------


def _contract() -> pl.Expr:
    """The number people know the contract by; its code when the export carried no number."""
    return pl.when(_filled("contract_number")).then(pl.col("contract_number")).otherwise(pl.col("contract_id"))


def _numbered(language: str) -> pl.Expr:
    """``№ 12``, or the document's code without a number."""
    number = _sentence("exceptions.detail.number", language, number=pl.col("doc_number"))
    return pl.when(_filled("doc_number")).then(number).otherwise(pl.col("document_id"))


def _document(language: str) -> pl.Expr:
    """A shipment goes by its number (``УПД-123``); other kinds say what they are (``платёж № 12``); the
    document's code stands in for a missing number. With its date: ``УПД-123 от 10.01.2025``."""
    kind = pl.col("doc_kind")
    names = {k: translate(f"exceptions.detail.kind.{k}", language) for k in _NAMED_KINDS}
    shipment = pl.when(_filled("doc_number")).then(pl.col("doc_number")).otherwise(pl.col("document_id"))
    other = pl.concat_str(
        [kind.replace_strict(names, default=kind, return_dtype=pl.String), pl.lit(" "), _numbered(language)]
    )
    shown = pl.when(kind == "shipment").then(shipment).otherwise(other)
    return _sentence(
        "exceptions.detail.document_of", language, document=shown, date=day_expr(pl.col("doc_date"), language)
    )


def _debt(language: str, key: str) -> pl.Expr:
    return _sentence(
        key,
        language,
        days=pl.col("days").cast(pl.String),
        document=_document(language),
        amount=_amount("amount", language),
    )


def _limit(language: str, key: str) -> pl.Expr:
    return _sentence(
        key,
        language,
        contract=_contract(),
        balance=_amount("balance", language),
        limit=_amount("credit_limit", language),
        amount=_amount("amount", language),
        percent=whole_percent_used_expr(pl.col("balance"), pl.col("credit_limit")).cast(pl.String),
    )


def _shipped(language: str) -> pl.Expr:
    debt = pl.element().struct
    overdue = (
        pl.col("overdue")
        .list.eval(_money(debt.field("amount"), debt.field("currency"), language))
        .list.join(translate("exceptions.detail.and", language))
        .fill_null("")
    )
    return _sentence(
        "exceptions.detail.shipped_while_overdue",
        language,
        document=_document(language),
        amount=_amount("amount", language),
        overdue=overdue,
        days=pl.col("days").cast(pl.String),
    )


def _no_payment(language: str) -> pl.Expr:
    amount = _amount("amount", language)
    quiet = _sentence(
        "exceptions.detail.no_payment_recently",
        language,
        days=pl.col("days").cast(pl.String),
        last=day_expr(pl.col("last_payment"), language),
        amount=amount,
    )
    never = _sentence("exceptions.detail.never_paid", language, amount=amount)
    return pl.when(pl.col("last_payment").is_null()).then(never).otherwise(quiet)


def _unidentified(language: str) -> pl.Expr:
    payer = pl.when(_filled("payer_name")).then(pl.col("payer_name"))
    inn = pl.when(_filled("payer_inn")).then(_sentence("exceptions.detail.inn", language, inn=pl.col("payer_inn")))
    document = _sentence(
        "exceptions.detail.document_of",
        language,
        document=_numbered(language),
        date=day_expr(pl.col("doc_date"), language),
    )
    return _sentence(
        "exceptions.detail.unidentified_payment",
        language,
        document=document,
        amount=_amount("amount", language),
        payer=payer.otherwise(pl.lit(translate("exceptions.detail.payer_unknown", language))),
        inn=inn.otherwise(pl.lit(translate("exceptions.detail.no_inn", language))),
        purpose=pl.col("purpose").fill_null(""),
    )


def _advance(language: str) -> pl.Expr:
    on_contract = _sentence("exceptions.detail.on_contract", language, contract=_contract())
    contract = (
        pl.when(pl.col("contract_id").is_null())
        .then(pl.lit(translate("exceptions.detail.no_contract", language)))
        .otherwise(on_contract)
    )
    return _sentence(
        "exceptions.detail.advance",
        language,
        amount=_amount("amount", language),
        document=_document(language),
        contract=contract,
    )


def _rejected(language: str) -> pl.Expr:
    value = _sentence(
        "exceptions.detail.rejected_value", language, column=pl.col("source_column"), value=pl.col("source_value")
    )
    where = pl.concat_str(
        [
            pl.col("source_file"),
            pl.when(pl.col("source_line").is_not_null()).then(pl.lit(":") + pl.col("source_line").cast(pl.String)),
            pl.when(_filled("source_column")).then(pl.lit(" ") + value),
        ],
        ignore_nulls=True,
    )
    return _sentence("exceptions.detail.rejected_row", language, where=where, reason=pl.col("reason"))


def _broken_promise(language: str) -> pl.Expr:
    return _sentence(
        "exceptions.detail.broken_promise",
        language,
        promised=_amount("promised", language),
        until=day_expr(pl.col("until"), language),
        paid=_money(pl.col("promised") - pl.col("amount"), pl.col("currency"), language),
        amount=_amount("amount", language),
        days=pl.col("days").cast(pl.String),
    )


_SENTENCES: dict[str, Callable[[str], pl.Expr]] = {
    "overdue": lambda language: _debt(language, "exceptions.detail.overdue"),
    "due_today": lambda language: _debt(language, "exceptions.detail.due_today"),
    "due_before_date": lambda language: _debt(language, "exceptions.detail.due_before_date"),
    "credit_limit_exceeded": lambda language: _limit(language, "exceptions.detail.credit_limit_exceeded"),
    "credit_limit_near": lambda language: _limit(language, "exceptions.detail.credit_limit_near"),
    "shipped_while_overdue": _shipped,
    "no_payment_recently": _no_payment,
    "unidentified_payment": _unidentified,
    "advance": _advance,
    "rejected_row": _rejected,
    "broken_promise": _broken_promise,
    "disputed": lambda language: _debt(language, "exceptions.detail.disputed"),
}


def exception_details(frame: pl.DataFrame, language: str) -> pl.Series:
    """The sentence of each row of a queries.exceptions frame (the whole list or some of its rows) in
    `language`, in the frame's order, named detail_column(language). Each code is worded over its own
    rows only."""
    numbered = frame.with_row_index("row")
    worded = [
        numbered.filter(pl.col("code") == code).select("row", _SENTENCES[code](language).alias("detail"))
        for code in numbered["code"].unique(maintain_order=True).to_list()
    ]
    name = detail_column(language)
    if not worded:
        return pl.Series(name, [], dtype=pl.String)
    return pl.concat(worded).sort("row")["detail"].alias(name)


def exceptions_worded(frame: pl.DataFrame) -> pl.DataFrame:
    """The exceptions list as exported and downloaded: EXCEPTION_COLUMNS, sentences in both languages."""
    return frame.with_columns(exception_details(frame, "ru"), exception_details(frame, "en")).select(EXCEPTION_COLUMNS)


def exceptions_in_language(
    conn: Connection,
    *,
    as_of: date,
    scope: Scope,
    rules: ExceptionRules,
    stop_rules: StopRules,
    language: str,
) -> pl.DataFrame:
    """queries.exceptions' list with each row's sentence in `language` (detail_column(language)) beside its
    facts: what the exceptions page reads through a cached loader, so that a rerun does not word 100,000
    overdue debits again."""
    found = exceptions(conn, as_of=as_of, scope=scope, rules=rules, stop_rules=stop_rules)
    return found.with_columns(exception_details(found, language))


# -- the stop-list -------------------------------------------------------------------------------


def stoplist_details(frame: pl.DataFrame, rules: StopRules, language: str) -> pl.Series:
    """The sentence of each row of a queries.stoplist frame under `rules` (the ones it was asked with), in
    `language`: the rules broken, then the payment that lifts the stop. Named detail_column(language)."""

    def broken(reason: str) -> pl.Expr:
        return pl.col("reasons").str.split(",").list.contains(reason)

    threshold = _money(pl.lit(rules.overdue_amount, dtype=pl.Int64), pl.col("currency"), language)
    clauses = [
        pl.when(broken("overdue_days")).then(
            _sentence(
                "stoplist.detail.overdue_days",
                language,
                days=pl.lit(str(rules.overdue_days)),
                late=_amount("late", language),
                max_days=pl.col("max_days_overdue").cast(pl.String),
            )
        ),
        pl.when(broken("overdue_amount")).then(
            _sentence(
                "stoplist.detail.overdue_amount", language, overdue=_amount("overdue", language), threshold=threshold
            )
        ),
        pl.when(broken("credit_limit")).then(
            _sentence("stoplist.detail.credit_limit", language, over_limit=_amount("over_limit", language))
        ),
    ]
    reasons = pl.concat_str(clauses, separator="; ", ignore_nulls=True)
    sentence = _sentence(
        "stoplist.detail",
        language,
        reasons=reasons.str.slice(0, 1).str.to_uppercase() + reasons.str.slice(1),
        to_release=_amount("to_release", language),
    )
    return frame.select(sentence.alias(detail_column(language))).to_series()


def stoplist_worded(frame: pl.DataFrame, rules: StopRules) -> pl.DataFrame:
    """The stop-list as exported: STOPLIST_COLUMNS, sentences in both languages."""
    return frame.with_columns(stoplist_details(frame, rules, "ru"), stoplist_details(frame, rules, "en")).select(
        STOPLIST_COLUMNS
    )
