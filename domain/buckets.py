"""Days overdue and the days-to-due and overdue buckets (contract section 2), with configurable edges.

Days overdue as of D = D - due date: negative is days to due, 0 is due on D, overdue when above 0. It is
written once here (days_overdue) for every frame that needs it: aging, the exceptions, the stop-list.

Default buckets: not due 0-7, 8-14, 15-30, 31+ days to due; overdue 1-30, 31-60, 61-90, 91-180, 181+
days. The app and the CLI read the edges from the config's [aging] (dashboard.services.settings.buckets).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl


def days_overdue(as_of: date | pl.Expr, due_date: pl.Expr) -> pl.Expr:
    """as_of - due_date in days (Int64): negative is days to due, 0 due that day, above 0 overdue.
    `as_of` is a date, or a column (a shipment's date, for what was overdue on it)."""
    day = as_of if isinstance(as_of, pl.Expr) else pl.lit(as_of)
    return (day - due_date).dt.total_days().cast(pl.Int64)


@dataclass(frozen=True)
class Buckets:
    due_edges: tuple[int, ...] = (7, 14, 30)
    overdue_edges: tuple[int, ...] = (30, 60, 90, 180)

    def __post_init__(self) -> None:
        for edges in (self.due_edges, self.overdue_edges):
            if list(edges) != sorted(set(edges)) or (edges and edges[0] < 0):
                raise ValueError(f"bucket edges must be increasing non-negative days: {edges}")
        if self.overdue_edges and self.overdue_edges[0] < 1:
            raise ValueError("the first overdue edge must be at least 1 day")

    @property
    def due_names(self) -> list[str]:
        names, low = [], 0
        for edge in self.due_edges:
            names.append(f"due_{low}_{edge}")
            low = edge + 1
        return [*names, f"due_{low}_plus"]

    @property
    def overdue_names(self) -> list[str]:
        names, low = [], 1
        for edge in self.overdue_edges:
            names.append(f"overdue_{low}_{edge}")
            low = edge + 1
        return [*names, f"overdue_{low}_plus"]

    @property
    def names(self) -> list[str]:
        return self.due_names + self.overdue_names

    def bucket_expression(self, days_overdue: pl.Expr) -> pl.Expr:
        """The bucket name of a document, from its days overdue (negative: days to due)."""
        expression: pl.Expr | None = None
        conditions: list[tuple[pl.Expr, str]] = []
        low = 0
        for edge, name in zip(self.due_edges, self.due_names, strict=False):
            conditions.append(((-days_overdue >= low) & (-days_overdue <= edge), name))
            low = edge + 1
        conditions.append((days_overdue <= -low, self.due_names[-1]))
        low = 1
        for edge, name in zip(self.overdue_edges, self.overdue_names, strict=False):
            conditions.append(((days_overdue >= low) & (days_overdue <= edge), name))
            low = edge + 1
        otherwise = pl.lit(self.overdue_names[-1])
        for condition, name in reversed(conditions):
            expression = (
                pl.when(condition).then(pl.lit(name)).otherwise(expression if expression is not None else otherwise)
            )
        assert expression is not None
        return expression


DEFAULT_BUCKETS = Buckets()
