"""The credit limit rules (domain.limits) and their one answer on the contracts page and in the exceptions.

89.95 % of a limit shows as 90,0 % (usage rounded half up to 0.1) but is not "near the limit" at 90 %:
179,90 / 200,00 = 0.8995. 180,00 / 200,00 is exactly 90 %: near.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from domain.limits import (
    limit_usage_pct,
    near_limit,
    near_limit_expr,
    over_limit,
    over_limit_expr,
    whole_percent_used_expr,
)
from etl.load import load_paths
from queries.exceptions import exceptions
from tests.helpers import ledgers
from tests.helpers.ledgers import write_files
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

AS_OF = date(2025, 12, 31)
NB = "\u00a0"

# (balance, limit) in kopecks -> over, near at 90 %, usage shown
CASES = [
    (17_990, 20_000, False, False, Decimal("90.0")),  # 89.95 %: shows 90.0, not near
    (18_000, 20_000, False, True, Decimal("90.0")),  # exactly 90 %
    (20_000, 20_000, False, True, Decimal("100.0")),  # at the limit: within it, near
    (20_001, 20_000, True, False, Decimal("100.0")),  # 100.005 % rounds to 100.0 but is over
    (1, 0, True, False, None),  # a zero limit: any debt is over it, no share
    (0, 0, False, False, None),
    (-5_000, 20_000, False, False, Decimal("-25.0")),  # an advance larger than the debts
    (50_000, None, False, False, None),  # no limit
]


@pytest.mark.parametrize(("balance", "limit", "over", "near", "usage"), CASES)
def test_the_rules_by_hand(balance: int, limit: int | None, over: bool, near: bool, usage: Decimal | None) -> None:
    assert over_limit(balance, limit) is over
    assert near_limit(balance, limit, 90) is near
    assert limit_usage_pct(balance, limit) == usage


def test_the_column_forms_agree_with_the_rules() -> None:
    frame = pl.DataFrame(
        [(b, lim) for b, lim, *_ in CASES], schema={"balance": pl.Int64, "credit_limit": pl.Int64}, orient="row"
    )
    balance, limit = pl.col("balance"), pl.col("credit_limit")
    flags = frame.select(over=over_limit_expr(balance, limit), near=near_limit_expr(balance, limit, 90))
    assert flags.rows() == [(over, near) for *_, over, near, _ in CASES]
    # The near sentence's whole percent is floored: 89.95 % reads 89, never 90.
    assert frame.head(2).select(whole_percent_used_expr(balance, limit)).to_series().to_list() == [89, 90]


def _load_c3(url: str, folder: Path, s4_amount: str) -> None:
    """tests/helpers/ledgers.py's small ledger with C3's limit at 200,00 and S4 (C3's only open debit on 31.12.2025,
    29 days overdue) of `s4_amount` rubles. C1 stays at 300,50 of 100 000,00 (0,3 %)."""
    contracts = ledgers.CONTRACTS.replace("RUB,0,calendar,5000.50", "RUB,0,calendar,200")
    shipments = ledgers.SHIPMENTS.replace("S4,C3,2025-12-02,200,", f"S4,C3,2025-12-02,{s4_amount},")
    assert contracts != ledgers.CONTRACTS
    assert shipments != ledgers.SHIPMENTS
    files = {
        "counterparties.csv": ledgers.COUNTERPARTIES,
        "contracts.csv": contracts,
        "shipments.csv": shipments,
        "payments.csv": ledgers.PAYMENTS,
    }
    engine = make_engine(url, pooled=False)
    load_paths(engine, [write_files(folder, files)])
    engine.dispose()


@pytest.mark.parametrize(("s4_amount", "near"), [("179.90", False), ("180", True)])
def test_the_contracts_page_and_the_exceptions_agree_on_near_the_limit(
    app_db: str, tmp_path: Path, s4_amount: str, near: bool
) -> None:
    _load_c3(app_db, tmp_path / "src", s4_amount)
    engine = make_engine(app_db, pooled=False)
    with engine.connect() as conn:
        found = exceptions(conn, as_of=AS_OF).filter(pl.col("code") == "credit_limit_near")
    engine.dispose()
    assert found.select("contract_id", "amount").rows() == ([("C3", 18_000)] if near else [])

    test = AppTest.from_file(str(ROOT / "pages" / "contracts.py"), default_timeout=60)
    filters = Filters(as_of=AS_OF, currency="RUB", manager="", group="", counterparty_id="", contract_id="")
    test.session_state["page_context"] = PageContext("ru", filters)
    test.run()
    assert not test.exception
    table = test.dataframe[0].value
    assert list(table["contract_number"]) == ["Д-1/25", "П-7"]  # most overdue first: 200,50, then S4
    assert list(table["limit_bar"]) == [pytest.approx(0.3), pytest.approx(90.0)]  # C3 shows 90,0 % either way
    assert list(table["limit_flag"]) == ["", f"⚠ близко (90,0{NB}%)" if near else ""]
    test.segmented_control(key="contracts_show").set_value("limit").run()
    if near:
        assert list(test.dataframe[0].value["contract_number"]) == ["П-7"]
    else:
        assert any("Ничего не найдено" in info.value for info in test.info)
