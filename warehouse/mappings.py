"""Column mappings a person made in the upload box, remembered per entity and file layout (revision 0002).

A file whose headings the product does not know is mapped once; the next file with the same headings (the
same report saved again from 1C) loads without asking. The key is the entity and the file's headings as
etl.columns.folded_heading compares them, in their order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from warehouse.schema import column_mappings


def headings_key(entity: str, folded: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join([entity, *folded]).encode()).hexdigest()


def remembered_mapping(conn: Connection, entity: str, folded: Sequence[str]) -> dict[str, str] | None:
    """folded heading -> column ("" to ignore it) as saved for this layout, or None."""
    t = column_mappings
    raw = conn.execute(select(t.c.mapping).where(t.c.headings_key == headings_key(entity, folded))).scalar()
    return None if raw is None else {str(k): str(v) for k, v in json.loads(raw).items()}


def remember_mapping(
    conn: Connection, entity: str, headings: Sequence[str], folded: Sequence[str], mapping: dict[str, str], user: str
) -> None:
    """Save (or replace) the mapping of this layout: folded heading -> column, "" to ignore it."""
    t = column_mappings
    key = headings_key(entity, folded)
    conn.execute(delete(t).where(t.c.headings_key == key))
    conn.execute(
        insert(t).values(
            headings_key=key,
            entity=entity,
            headings=json.dumps(list(headings), ensure_ascii=False),
            mapping=json.dumps(mapping, ensure_ascii=False),
            saved_by=user,
            saved_at=datetime.now().replace(microsecond=0),
        )
    )
