"""The reconciliation act (акт сверки взаиморасчетов) as a document in the 1C standard form: what it says.

Input: a frame as `queries.act.act` returns it (kind opening/document/turnover/closing, date, document,
debit, credit; money in Int64 kopecks, null where empty) and an `ActHeader` (the parties, the period, the
contract, the signers). This module holds the wording every rendering shares: the title lines, the
preamble, the halves' titles, the table's rows and the closing sentence with the amount in words. The
renderers lay it out: dashboard.services.act_xlsx (XLSX, xlsxwriter) and dashboard.services.act_pdf (PDF,
reportlab), both with the same layout: the title, the preamble, two halves side by side (ours filled, the
counterparty's left empty for them), the closing sentence and the signature blocks. No streamlit and no
database here: the CLI, the batch ZIP and the act page share it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from domain.money import amount_in_words, amount_ru, currency_unit
from queries.act import act_balance

TITLE = "Акт сверки"
COLUMNS = ("Дата", "Документ", "Дебет", "Кредит")
BLANK = "______"


@dataclass(frozen=True)
class Signer:
    position: str = ""
    name: str = ""


@dataclass(frozen=True)
class ActHeader:
    """Everything on the act that is not its table: parties, period, contract, currency, signers."""

    company: str
    counterparty: str
    date_from: date
    date_to: date
    contract: str | None = None  # «№ 7 от 01.12.2024» when the act is of one contract
    currency: str = "RUB"
    company_signer: Signer = field(default_factory=Signer)
    counterparty_signer: Signer = field(default_factory=Signer)

    @property
    def unit(self) -> str:
        return currency_unit(self.currency)

    @property
    def period(self) -> str:
        return f"взаимных расчетов за период: {self.date_from:%d.%m.%Y} – {self.date_to:%d.%m.%Y}"

    @property
    def between(self) -> str:
        return f"между {self.company} и {self.counterparty}"

    @property
    def contract_line(self) -> str | None:
        return f"по договору {self.contract}" if self.contract else None

    @property
    def preamble(self) -> str:
        def party(signer: Signer, name: str) -> str:
            return " ".join(x for x in (signer.position or BLANK, name, signer.name or BLANK) if x)

        return (
            f"Мы, нижеподписавшиеся, {party(self.company_signer, self.company)}, с одной стороны, "
            f"и {party(self.counterparty_signer, self.counterparty)}, с другой стороны, "
            "составили настоящий акт сверки в том, что состояние взаимных расчетов по данным учета следующее:"
        )

    def half_title(self, party: str) -> str:
        return f"По данным {party}, {self.unit}"


def closing_sentence(act: pl.DataFrame, header: ActHeader) -> str:
    """«По данным <company> на <date> задолженность в пользу <party> составляет … руб. (…)»."""
    balance = act_balance(act)
    head = f"По данным {header.company} на {header.date_to:%d.%m.%Y}"
    if balance == 0:
        return f"{head} задолженность отсутствует."
    party = header.company if balance > 0 else header.counterparty
    return (
        f"{head} задолженность в пользу {party} составляет {amount_ru(abs(balance))} {header.unit} "
        f"({amount_in_words(abs(balance), header.currency)})"
    )


def table_rows(act: pl.DataFrame) -> Iterator[tuple[bool, date | None, str, int | None, int | None]]:
    """(summary?, date, document, debit, credit) per row; a zero opening or closing balance left empty, as 1C."""
    for kind, when, document, debit, credit in act.select("kind", "date", "document", "debit", "credit").iter_rows():
        balance = kind in ("opening", "closing")
        yield (
            kind != "document",
            when,
            document or "",
            (debit or None) if balance else debit,
            ((credit or None) if balance else credit),
        )


def largest_amount(act: pl.DataFrame) -> int:
    """The largest amount the act's table shows (kopecks, 0 for none): the amount columns are made wide
    enough for it, in the PDF and the XLSX alike (an amount never crosses its cell's rules)."""
    largest = pl.concat([act["debit"], act["credit"]]).cast(pl.Int64).abs().max()
    return largest if isinstance(largest, int) else 0
