"""The load's fifth stage: warehouse.rollups (flows, shipment_checks) follow the matches it wrote."""

from __future__ import annotations

from sqlalchemy import Connection

from etl.load.match import Matched
from etl.load.types import Progress
from warehouse.rollups import checks, flows
from warehouse.shadow import building_meanwhile


def refresh(conn: Connection, matched: Matched, progress: Progress | None) -> None:
    """Built again in full after everyone was matched from scratch; otherwise the counterparties matched
    again, and from its first new day each one that went on matching. A warehouse from before a rollup
    gets it built once, in full."""
    if matched.everyone:
        if progress:
            progress("rollups", 0, 2)
        # One read of documents and matches for both, or none: matching everyone hands its frames over.
        # The flows are grouped from them by polars on both databases: PostgreSQL's three GROUP BYs over
        # the tables took 15-22 s of a 1M first load's wall time, polars and the COPY of the result a few.
        frames = matched.frames or checks.read_all(conn)
        matched.frames = None
        grouped, swept = flows.grouped_all(*frames), checks.swept_all(frames)
        with building_meanwhile(conn) as building:
            if building:  # a first load on PostgreSQL: worked out while the server builds its shadows' indexes
                grouped, swept = iter(list(grouped)), iter(list(swept))
        flows.write_all(conn, grouped)
        if progress:
            progress("rollups", 1, 2)
        checks.write_all(conn, swept)
        return
    for rollup in (flows, checks):
        if not rollup.ready(conn):
            rollup.rebuild_all(conn)
        else:
            rollup.rebuild(conn, matched.again)
            rollup.rebuild_since(conn, matched.since)
