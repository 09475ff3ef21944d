"""The client role in dashboard/services/access.py: its scope, what it may do, the CLI commands it may run,
and the config that names it."""

from __future__ import annotations

import pytest

from dashboard.services.access import CLIENT_REPORTS, User, auth_settings
from dashboard.services.settings import Config, ConfigError
from queries.scope import Scope


def test_a_clients_scope_is_its_own_counterparty_and_it_may_change_nothing() -> None:
    client = User(login="buh@romashka.ru", role="client", counterparty="K1")
    assert client.scope == Scope(counterparty_ids=("K1",))
    assert client.is_client
    assert not client.sees_everything
    assert (client.may_load, client.may_note, client.may_release, client.may_audit) == (False,) * 4
    # A filter asking for another counterparty narrows the scope to nothing, never widens it.
    assert client.scope.narrowed(counterparty_ids=("K2",)).counterparty_ids == ()
    cfo = User(login="cfo", role="cfo")
    assert not cfo.is_client
    assert cfo.scope == Scope.everything()


def test_the_cli_commands_a_client_may_run() -> None:
    client = User(login="buh@romashka.ru", role="client", counterparty="K1")
    assert CLIENT_REPORTS == ("aging", "act", "calendar", "trend")
    assert [r for r in CLIENT_REPORTS if client.client_refusal("export", r) is not None] == []
    assert client.client_refusal("export", "worklist") == (
        "buh@romashka.ru is a client: export worklist is not available to a client "
        "(a client exports only its own aging, act, calendar, trend and reconciles its own act)"
    )
    for refused in (("export", "exceptions"), ("export", "stoplist"), ("export", "rejects"), ("remind", None)):
        assert client.client_refusal(*refused) is not None, refused
    manager = User(login="m", role="manager", manager="Иванов")
    assert manager.client_refusal("export", "worklist") is None  # only a client is refused these


def test_the_config_reads_a_client_and_refuses_one_without_its_counterparty() -> None:
    users = {
        "Buh@Romashka.ru": {"role": "client", "counterparty": " K1 ", "name": "Бухгалтерия"},
        "cfo@firm.ru": {"role": "cfo"},
    }
    settings = auth_settings(Config(raw={"auth": {"mode": "header", "users": users}}))
    client = settings.user("buh@romashka.ru")
    assert client == User(login="Buh@Romashka.ru", role="client", counterparty="K1", name="Бухгалтерия")
    with pytest.raises(ConfigError) as refused:
        auth_settings(Config(raw={"auth": {"users": {"x@client.ru": {"role": "client", "counterparty": ""}}}}))
    assert str(refused.value) == "[auth.users] user 'x@client.ru' has role client but no counterparty = \"ID\""
