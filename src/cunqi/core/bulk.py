"""Inserting many rows fast, for ledgers and imports that write millions of them.

``bulk_create`` builds model instances and one multi-row INSERT per batch, about 12,000
payout rows a second here on PostgreSQL; COPY streams plain tuples, several times that.
Values go through each field's own conversion (money to fen), so what is stored is what
``save()`` would store. No signals, no ``save()``, no history: callers are services that
validate first and write rows nobody edits.
"""

from collections.abc import Iterable, Iterator, Sequence

from django.db import connection, models


def insert_rows(
    model: type[models.Model], field_names: Sequence[str], rows: Iterable[Sequence]
) -> int:
    """Insert ``rows`` (tuples in ``field_names`` order, FK fields by ``*_id`` value).

    ``rows`` may be a generator, but it must not query the database: on PostgreSQL the
    connection is busy streaming COPY until the last row is written.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)

    def prepared(row: Sequence) -> tuple:
        return tuple(
            field.get_db_prep_value(value, connection)
            for field, value in zip(fields, row, strict=True)
        )

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepared(row))
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(fields))
        batch = []
        for row in rows:
            batch.append(prepared(row))
            if len(batch) == 10_000:
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch
                )
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch)
            count += len(batch)
    return count


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    """``items`` a slice of ``size`` at a time: for IN (…) lists (SQLite limits a
    statement's parameters) and for work done a transaction per chunk."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Values per IN (…) list: SQLite limits a statement's parameters.
IN_CHUNK = 500


def cache_relations(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """Attach each row's related rows, fetched a batch at a time, so that ``clean()``
    and the history read them without a query per row."""
    for field in model._meta.concrete_fields:
        if not field.is_relation or not field.many_to_one:
            continue
        ids = {getattr(row, field.attname) for row in rows} - {None}
        if not ids:
            continue
        found = {}
        for part in chunks(sorted(ids), IN_CHUNK):
            found.update(field.related_model._base_manager.in_bulk(part))
        for row in rows:
            value = getattr(row, field.attname)
            if value is not None and value in found and not field.is_cached(row):
                field.set_cached_value(row, found[value])
