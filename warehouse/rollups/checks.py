"""The `shipment_checks` rollup: what each shipment's counterparty had overdue on its date.

The sweep (warehouse.rollups.sweep) is worked out once per shipment by the load and stored with the
shipment's contract balance (warehouse.rollups.balances); queries.exceptions reads the window's rows.
The table holds the default rule (a day overdue is enough); a report with a longer threshold sweeps its
window at query time.

Built in full by a load that matches everything, per counterparty by one that matches some again, and
from the first new day by one that only goes on matching, like warehouse.rollups.flows. `meta.shipment_checks` = "1"
says the table is complete; until then queries.exceptions sweeps at query time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import polars as pl
from sqlalchemy import Connection, delete, select, true

import warehouse
from warehouse.bulk import deferred_indexes
from warehouse.rollups import flows
from warehouse.rollups.balances import balances_on, balances_since, contract_changes
from warehouse.rollups.frame_io import insert_frame, read_frame
from warehouse.rollups.pieces import ROWS, in_pieces
from warehouse.rollups.sweep import sweep_inputs
from warehouse.rollups.sweep_kernel import sweep_frames
from warehouse.state import read_meta, write_meta

READY = "shipment_checks"
COLUMNS = ("doc_pk", "counterparty_id", "doc_date", "oldest_due", "currency", "overdue", "contract_balance")
CHUNK = 25  # counterparties per sweep: at 1M shipments, 200 counterparties, about 125,000 shipments each


Inputs = tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]
Frames = tuple[pl.DataFrame, pl.DataFrame]  # read_all's: (documents, matches)
ROLLUP_DOCUMENTS = pl.Schema(
    {
        "doc_pk": pl.Int64,
        "kind": pl.String,
        "counterparty_id": pl.String,
        "contract_id": pl.String,
        "currency": pl.String,
        "doc_date": pl.Date,
        "due_date": pl.Date,
        "side": pl.Int64,
        "amount": pl.Int64,
    }
)
ROLLUP_MATCHES = pl.Schema(
    {
        "debit_pk": pl.Int64,
        "credit_pk": pl.Int64,
        "match_date": pl.Date,
        "amount": pl.Int64,
        "counterparty_id": pl.String,
    }
)


def _all_of(conn: Connection, counterparty_ids: list[str] | None) -> Inputs:
    """The sweep's inputs over the whole history of these counterparties (None: all), and their
    shipments' contract balances."""
    return inputs_of(*read_all(conn, counterparty_ids))


def read_all(conn: Connection, counterparty_ids: list[str] | None = None) -> Frames:
    """(documents, matches) of these counterparties (None: all): every document in one read, every match
    in another, as the rollups built in full take them (warehouse.rollups.flows.grouped_all too).
    Matches are read as they are and summed later: a GROUP BY made SQLite walk the whole
    (debit_pk, match_date) index per chunk."""
    d, m = warehouse.documents, warehouse.matches
    documents = read_frame(
        conn,
        select(
            d.c.doc_pk,
            d.c.kind,
            d.c.counterparty_id,
            d.c.contract_id,
            d.c.currency,
            d.c.doc_date,
            d.c.due_date,
            d.c.side,
            d.c.amount,
        ).where(
            d.c.counterparty_id.in_(counterparty_ids)
            if counterparty_ids is not None
            else d.c.counterparty_id.is_not(None)
        ),
        ROLLUP_DOCUMENTS,
    )
    matches = read_frame(
        conn,
        select(m.c.debit_pk, m.c.credit_pk, m.c.match_date, m.c.amount, m.c.counterparty_id).where(
            m.c.counterparty_id.in_(counterparty_ids) if counterparty_ids is not None else true()
        ),
        ROLLUP_MATCHES,
    )
    return documents, matches


def inputs_of(documents: pl.DataFrame, matches: pl.DataFrame) -> Inputs:
    """The sweep's inputs and the shipments' contract balances, from read_all's frames."""
    shipments = documents.filter(pl.col("kind") == "shipment").select(
        "doc_pk", "counterparty_id", "contract_id", "doc_date"
    )
    debits = documents.filter(pl.col("side") == 1, pl.col("due_date").is_not_null()).select(
        debit_pk="doc_pk",
        counterparty_id="counterparty_id",
        debit_currency="currency",
        debit_date="doc_date",
        due_date="due_date",
        open_at_start="amount",
    )
    on_debits = (
        matches.filter(pl.col("debit_pk").is_in(debits["debit_pk"].implode()))
        .group_by("debit_pk", "match_date")
        .agg(matched=pl.col("amount").sum())
    )
    changes = contract_changes(documents.with_columns(signed=pl.col("side") * pl.col("amount")), matches)
    return shipments, debits, on_debits, balances_on(shipments, changes)


def _swept(
    shipments: pl.DataFrame, debits: pl.DataFrame, matches: pl.DataFrame, balances: pl.DataFrame
) -> pl.DataFrame:
    """Sweep these shipments: what their counterparties had overdue on their dates, a row per currency
    overdue, or one with none and 0 when what was overdue was only the shipment itself."""
    if debits.is_empty() or shipments.is_empty():
        return pl.DataFrame()
    found, amounts = sweep_frames(shipments, debits, matches, 0, date.max, late_too=False)
    return (
        found.join(shipments.select("doc_pk", "counterparty_id", "doc_date"), on="doc_pk")
        .join(balances, on="doc_pk", how="left")
        .join(amounts.select("doc_pk", "currency", overdue="amount"), on="doc_pk", how="left")
        .select(
            "doc_pk",
            "counterparty_id",
            "doc_date",
            oldest_due=pl.col("doc_date") - pl.duration(days=pl.col("days")),
            currency="currency",
            overdue=pl.col("overdue").fill_null(0),
            contract_balance="contract_balance",
        )
        .sort("counterparty_id", "doc_date")  # as an index: SQLite builds it over sorted rows in half the CPU
    )


def _in_chunks(ids: list[str], inputs: Inputs) -> Iterator[pl.DataFrame]:
    """The swept rows of the inputs, a chunk of counterparties at a time: the sweep's dictionaries stay small."""
    shipments, debits, matches, balances = inputs
    for start in range(0, len(ids), CHUNK):
        wanted = pl.col("counterparty_id").is_in(ids[start : start + CHUNK])
        chunk_debits = debits.filter(wanted)
        chunk_matches = matches.filter(pl.col("debit_pk").is_in(chunk_debits["debit_pk"].implode()))
        yield _swept(shipments.filter(wanted), chunk_debits, chunk_matches, balances)


def _insert(conn: Connection, rows: Iterable[pl.DataFrame]) -> None:
    for part in rows:
        insert_frame(conn, warehouse.shipment_checks, part)


def swept_all(frames: Frames, rows: int = ROWS) -> Iterator[pl.DataFrame]:
    """Every shipment's rows, from read_all's frames, a piece of whole counterparties (about `rows`
    documents) at a time (warehouse.rollups.pieces). No database: a first load on PostgreSQL works them
    out while the server builds the documents' indexes (etl.load.rollups)."""
    documents, matches = frames
    for piece_documents, piece_matches in in_pieces(documents, matches, rows):
        ids = piece_documents["counterparty_id"].unique().sort().to_list()
        yield from _in_chunks(ids, inputs_of(piece_documents, piece_matches))


def write_all(conn: Connection, rows: Iterable[pl.DataFrame]) -> None:
    """The table made again of these rows (swept_all's), its indexes deferred."""
    conn.execute(delete(warehouse.shipment_checks))
    with deferred_indexes(conn, warehouse.shipment_checks):
        _insert(conn, rows)
    write_meta(conn, READY, "1")


def rebuild_all(conn: Connection, frames: Frames | None = None, rows: int = ROWS) -> None:
    """Every shipment, from one read of the documents and one of the matches (`frames`: read_all's, when
    the caller has them already), a piece at a time (swept_all)."""
    write_all(conn, swept_all(frames or read_all(conn), rows))


def rebuild(conn: Connection, counterparty_ids: Iterable[str]) -> None:
    """The rows of these counterparties, from scratch (after they were matched again)."""
    k = warehouse.shipment_checks
    ids = sorted(counterparty_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        conn.execute(delete(k).where(k.c.counterparty_id.in_(chunk)))
        _insert(conn, [_swept(*_all_of(conn, chunk))])


def rebuild_since(conn: Connection, since: dict[str, date]) -> None:
    """The rows of each counterparty's shipments from its day on (after matching went on from that day).

    The inputs are read for every counterparty and narrowed here: what is open on a recent day is a
    small set the (side, settled_date) index finds, where a filter on a few hundred counterparties
    would make the database walk all their documents."""
    k = warehouse.shipment_checks
    for day, ids in flows.by_day(since):
        for start in range(0, len(ids), CHUNK):
            conn.execute(delete(k).where(k.c.counterparty_id.in_(ids[start : start + CHUNK]), k.c.doc_date >= day))
        shipments, debits, matches = sweep_inputs(
            conn, start=day, end=None, due_before=None, shipments_where=true(), counterparty_filter=lambda _: true()
        )
        shipments = shipments.filter(pl.col("counterparty_id").is_in(ids))
        balances = balances_since(conn, day, shipments)
        _insert(conn, _in_chunks(sorted(ids), (shipments, debits, matches, balances)))


def ready(conn: Connection) -> bool:
    return read_meta(conn, READY) == "1"
