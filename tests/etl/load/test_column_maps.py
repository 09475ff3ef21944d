"""Headings the product does not know, mapped once (contract section 1): in the config's [columns.<entity>],
or in the upload box, which remembers the mapping in the warehouse for the next file of the same layout.

The file: a sales report with «Номер накладной» and «Сумма с НДС» for the number and the amount, and a
«Комментарий» nobody needs. Unmapped it is refused (no number, so no key); mapped, its two rows load keyed by number
and date: РН-1 от 03.02.2025 (1 500,00) and РН-2 от 04.02.2025 (250,00), both on C1.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from etl.columns import folded_heading
from tests.helpers.cli import invoke
from tests.helpers.ledgers import write_files
from warehouse.engine import make_engine
from warehouse.mappings import remember_mapping

FILES = {
    "counterparties.csv": "counterparty_id,name\nK1,ООО «Альфа»\n",
    "contracts.csv": "contract_id,counterparty_id,number\nC1,K1,Д-1\n",
    "shipments_report.csv": (
        "Номер накладной;Дата;Договор;Сумма с НДС;Комментарий\n"
        "РН-1;03.02.2025;C1;1 500,00;срочно\n"
        "РН-2;04.02.2025;C1;250,00;\n"
    ),
}
HEADINGS = ["Номер накладной", "Дата", "Договор", "Сумма с НДС", "Комментарий"]


def amounts(db: str) -> dict[str, int]:
    engine = make_engine(db, pooled=False)
    with engine.connect() as conn:
        found = dict(conn.execute(text("SELECT document_id, amount FROM documents")).all())
    engine.dispose()
    return found


def test_the_configs_columns_map_a_report(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    source = write_files(tmp_path / "src", FILES)
    unmapped = invoke("load", str(source), "--db", db)
    # «Сумма с НДС» is a heading 1C prints, known; the number of the invoice is not.
    assert "refused:" in unmapped.stdout
    assert "required column missing: document_id" in unmapped.stdout

    config = tmp_path / "receivables.toml"
    config.write_text(
        '[columns.shipments]\n"Номер накладной" = "number"\n"сумма с НДС" = "amount"\n"Комментарий" = "ignore"\n',
        encoding="utf-8",
    )
    mapped = invoke("load", str(source), "--db", db, "--config", str(config))
    assert mapped.returncode == 0, mapped.stderr
    assert "none changed" not in mapped.stdout  # the same bytes, but read with other mappings
    assert amounts(db) == {"РН-1 от 03.02.2025": 150000, "РН-2 от 04.02.2025": 25000}


def test_a_wrong_target_in_the_config_says_which(tmp_path: Path) -> None:
    config = tmp_path / "receivables.toml"
    config.write_text('[columns.shipments]\n"Сумма с НДС" = "amaunt"\n', encoding="utf-8")
    done = invoke(
        "load",
        str(write_files(tmp_path / "src", FILES)),
        "--db",
        f"sqlite:///{tmp_path / 'w.db'}",
        "--config",
        str(config),
    )
    assert done.returncode == 1
    assert "[columns.shipments] 'Сумма с НДС' = 'amaunt': not a column of shipments" in done.stderr


def test_a_remembered_layout_loads_the_next_file_without_asking(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    source = write_files(tmp_path / "src", FILES)
    assert invoke("load", str(source), "--db", db).returncode == 0  # the report refused, the rest loaded
    engine = make_engine(db, pooled=False)
    with engine.begin() as conn:
        remember_mapping(
            conn,
            "shipments",
            HEADINGS,
            [folded_heading(h) for h in HEADINGS],
            {"номер накладной": "number", "сумма с ндс": "amount", "комментарий": ""},
            "tester",
        )
    engine.dispose()
    again = invoke("load", str(source), "--db", db)
    assert again.returncode == 0, again.stderr
    assert amounts(db) == {"РН-1 от 03.02.2025": 150000, "РН-2 от 04.02.2025": 25000}
    # Another layout (one more column) is not this one: refused again until mapped.
    write_files(
        source, {"shipments_report.csv": FILES["shipments_report.csv"].replace("Комментарий", "Комментарий;Склад")}
    )
    other = invoke("load", str(source / "shipments_report.csv"), "--db", db)
    assert "required column missing" in other.stdout
