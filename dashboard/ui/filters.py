"""The shared sidebar: as-of date, currency, manager, group, counterparty, contract.

State lives in st.session_state (widget keys below) and is mirrored into st.query_params, so a view
is a link a colleague can open. Values from a link are checked against what exists: a crafted
parameter can only narrow the view, never widen the user's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from dashboard.formatting import date_pattern
from dashboard.i18n import translate
from dashboard.ui import loaders
from dashboard.ui.auth import current_user, user_scope
from queries.scope import Scope

PARAMS = ("as_of", "currency", "manager", "group", "counterparty", "contract")
ALL = ""
PAGE = "filter_page"  # the url path of the page this run draws (sidebar_filters)
CHOSEN = "filter_chosen"  # a counterparty the next run's sidebar takes, and the page that chose it
BACK = "filter_back"  # the sidebar as it was before a table's row opened a card, to come back to


@dataclass(frozen=True)
class Filters:
    as_of: date
    currency: str
    manager: str
    group: str
    counterparty_id: str
    contract_id: str

    def scope(self, base: Scope) -> Scope:
        """`base` narrowed by the chosen manager, group, counterparty and contract (not the currency).
        Pages do not call this: they take their scope from dashboard.ui.context.PageContext (scope,
        scope_without, user_scope), the one way a page builds one."""
        return base.narrowed(
            managers=(self.manager,) if self.manager else None,
            groups=(self.group,) if self.group else None,
            counterparty_ids=(self.counterparty_id,) if self.counterparty_id else None,
            contract_ids=(self.contract_id,) if self.contract_id else None,
        )


def base_scope() -> Scope:
    """Who the user is allowed to see (dashboard.ui.auth): a manager their own counterparties. The sidebar's
    choices come from it; a page takes it as PageContext.user_scope."""
    return user_scope()


def _from_link(name: str, allowed: list[str]) -> None:
    """Seed a widget from the URL once, if the value is one of the choices."""
    key = f"filter_{name}"
    if key in st.session_state:
        return
    value = st.query_params.get(name, ALL)
    st.session_state[key] = value if value in allowed else ALL


def _to_link(name: str, value: str) -> None:
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def _keep_state() -> None:
    """Re-assign the filter keys to themselves: st.navigation drops a widget's state when the page
    changes, and this (Streamlit's documented workaround) makes the choices survive a page switch."""
    for name in PARAMS:
        key = f"filter_{name}"
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def choose_counterparty(counterparty_id: str) -> None:
    """Make `counterparty_id` the sidebar's counterparty, with no contract, from the next run on (a table's
    row opening its card: dashboard.ui.tables.open_card); the other filters stay. The sidebar has drawn
    this run's choice already, and a drawn widget's value cannot change before the next run."""
    st.session_state[CHOSEN] = {"counterparty": counterparty_id, "page": st.session_state.get(PAGE, "")}


def _take_chosen(page: str) -> None:
    """The counterparty a table's row chose (choose_counterparty) becomes the sidebar's on the card. Coming
    back to that table's page from the card (the browser's back, the navigation) brings back the sidebar
    as it was, so the list is whole again; unless the user chose another counterparty meanwhile. Going on
    from the card to another page (the act, the stop-list) keeps the counterparty, as it always did."""
    chosen = st.session_state.pop(CHOSEN, None)
    if chosen is not None:
        st.session_state[BACK] = {
            "card": page,
            "page": chosen["page"],
            "chosen": chosen["counterparty"],
            "counterparty": st.session_state.get("filter_counterparty", ALL),
            "contract": st.session_state.get("filter_contract", ALL),
        }
        st.session_state["filter_counterparty"] = chosen["counterparty"]
        st.session_state["filter_contract"] = ALL
        return
    back = st.session_state.get(BACK)
    if back is None or page == back["card"]:
        return
    del st.session_state[BACK]
    if page == back["page"] and st.session_state.get("filter_counterparty") == back["chosen"]:
        st.session_state["filter_counterparty"] = back["counterparty"]
        st.session_state["filter_contract"] = back["contract"]


def _as_of_input(language: str) -> date:
    """The as-of date: from the link once, else today; the widget keeps it from then on."""
    if "filter_as_of" not in st.session_state:
        try:
            st.session_state["filter_as_of"] = date.fromisoformat(st.query_params.get("as_of", ""))
        except ValueError:
            st.session_state["filter_as_of"] = date.today()
    return st.sidebar.date_input(translate("filter.as_of", language), key="filter_as_of", format=date_pattern(language))


def client_filters(language: str, counterparty_id: str) -> Filters:
    """A client's sidebar: the as-of date and the currency of its own contracts; no manager, group,
    counterparty or contract (those would list other clients or our managers). Its counterparty is always
    its own, whatever a link asks for: the link's manager, group, counterparty and contract are dropped."""
    _keep_state()
    for name in ("manager", "group", "counterparty", "contract"):
        _to_link(name, "")
        st.session_state.pop(f"filter_{name}", None)
    as_of = _as_of_input(language)
    contracts = loaders.filter_options(scope=base_scope())["contracts"]
    currencies = sorted(set(contracts["currency"].to_list())) or ["RUB"]
    _from_link("currency", currencies)
    if st.session_state.get("filter_currency") not in currencies:
        st.session_state["filter_currency"] = "RUB" if "RUB" in currencies else currencies[0]
    currency = st.session_state["filter_currency"]
    if len(currencies) > 1:  # one currency needs no choice
        currency = st.sidebar.selectbox(translate("filter.currency", language), currencies, key="filter_currency")
    _to_link("as_of", "" if as_of == date.today() else as_of.isoformat())
    _to_link("currency", "" if currency == "RUB" else currency)
    return Filters(as_of, currency, "", "", counterparty_id, "")


def sidebar_filters(language: str, page: str = "") -> Filters:
    """The sidebar's filters for a run that draws `page` (its url path, "" for the default page)."""
    user = current_user()
    if user is not None and user.is_client:
        return client_filters(language, user.counterparty)
    t = lambda key: translate(key, language)  # noqa: E731
    _keep_state()
    st.session_state[PAGE] = page
    _take_chosen(page)
    options = loaders.filter_options(scope=base_scope())
    counterparties, contracts = options["counterparties"], options["contracts"]

    as_of = _as_of_input(language)

    currencies = sorted(set(contracts["currency"].to_list()) | {"RUB"})
    _from_link("currency", currencies)
    if not st.session_state.get("filter_currency"):
        st.session_state["filter_currency"] = "RUB"
    currency = st.sidebar.selectbox(t("filter.currency"), currencies, key="filter_currency")

    managers = sorted({m for m in counterparties["manager"].to_list() if m})
    _from_link("manager", managers)
    manager = st.sidebar.selectbox(
        t("filter.manager"), [ALL, *managers], key="filter_manager", format_func=lambda v: v or t("filter.all")
    )
    groups = sorted({g for g in counterparties["group"].to_list() if g})
    _from_link("group", groups)
    group = st.sidebar.selectbox(
        t("filter.group"), [ALL, *groups], key="filter_group", format_func=lambda v: v or t("filter.all")
    )

    visible = counterparties
    if manager:
        visible = visible.filter(visible["manager"] == manager)
    if group:
        visible = visible.filter(visible["group"] == group)
    names = dict(zip(visible["counterparty_id"].to_list(), visible["name"].to_list(), strict=True))
    _from_link("counterparty", list(names))
    if st.session_state.get("filter_counterparty") not in ("", *names):
        st.session_state["filter_counterparty"] = ALL
    counterparty_id = st.sidebar.selectbox(
        t("filter.counterparty"),
        [ALL, *names],
        key="filter_counterparty",
        format_func=lambda v: f"{names[v]} ({v})" if v else t("filter.all"),
    )
    own = contracts.filter(contracts["counterparty_id"] == counterparty_id) if counterparty_id else contracts[:0]
    numbers = dict(zip(own["contract_id"].to_list(), own["number"].to_list(), strict=True))
    _from_link("contract", list(numbers))
    if st.session_state.get("filter_contract") not in ("", *numbers):
        st.session_state["filter_contract"] = ALL
    contract_id = st.sidebar.selectbox(
        t("filter.contract"),
        [ALL, *numbers],
        key="filter_contract",
        format_func=lambda v: (numbers[v] or v) if v else t("filter.all"),
        disabled=not counterparty_id,
    )

    _to_link("as_of", "" if as_of == date.today() else as_of.isoformat())
    for name, value in (
        ("currency", "" if currency == "RUB" else currency),
        ("manager", manager),
        ("group", group),
        ("counterparty", counterparty_id),
        ("contract", contract_id),
    ):
        _to_link(name, value)
    return Filters(as_of, currency, manager, group, counterparty_id, contract_id)
