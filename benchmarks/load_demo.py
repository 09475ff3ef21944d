"""`make bench`: time a full demo load, an unchanged reload, on SQLite and PostgreSQL.

    python -m benchmarks.load_demo [--scale N] [--runs R] [--backends sqlite,postgres]

Prints medians. The demo folder is written once per scale into bench_out/ and reused.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from etl.demo import write_demo_source
from etl.load import load_paths
from etl.warehouse import ensure_schema, make_engine

PG_ADMIN = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
END = date(2026, 11, 20)


def _fresh_url(backend: str, out: Path) -> tuple[str, object]:
    if backend == "sqlite":
        path = out / f"bench_{uuid.uuid4().hex[:6]}.db"
        return f"sqlite:///{path}", lambda: [Path(str(path) + s).unlink(missing_ok=True) for s in ("", "-wal", "-shm")]
    name = f"receivables_bench_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name, drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    out = Path("bench_out")
    folder = out / f"demo_{args.scale}"
    if not (folder / ".complete").exists():
        started = time.perf_counter()
        summary = write_demo_source(folder, scale=args.scale, seed=1, end=END)
        (folder / ".complete").write_text("ok")
        print(
            f"demo source ({args.scale} shipments): {sum(summary.counts.values())} rows written "
            f"in {time.perf_counter() - started:.1f} s"
        )
    for backend in args.backends.split(","):
        full, reload = [], []
        rows = 0
        for _ in range(args.runs):
            url, drop = _fresh_url(backend, out)
            engine = make_engine(url, pooled=False)
            try:
                ensure_schema(engine)
                result = load_paths(engine, [folder])
                full.append(result.seconds)
                rows = sum(c.read for c in result.counts.values())
                again = load_paths(engine, [folder])
                reload.append(again.seconds)
            finally:
                engine.dispose()
                drop()  # type: ignore[operator]
        f, r = statistics.median(full), statistics.median(reload)
        print(
            f"{backend:9} full load: {f:7.1f} s ({rows / f:,.0f} rows/s, {rows:,} rows)   unchanged reload: {r:6.1f} s"
        )


if __name__ == "__main__":
    main()
