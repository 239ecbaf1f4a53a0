"""Inserting many rows fast, for ledgers and imports that write millions of them.

``bulk_create`` builds model instances and one multi-row INSERT per batch, about 12,000
payout rows a second here on PostgreSQL; COPY streams plain tuples, several times that.
Values go through each field's own conversion (money to fen), so what is stored is what
``save()`` would store. No signals, no ``save()``, no history: callers are services that
validate first and write rows nobody edits.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connections, models

# Values that cannot change once made: one prepared for a row is prepared for the next row
# holding the same object (a run's id, the moment of a batch, its actor).
IMMUTABLE = (int, str, bool, Decimal, datetime, date, type(None))


def insert_rows(
    model: type[models.Model], field_names: Sequence[str], rows: Iterable[Sequence]
) -> int:
    """Insert ``rows`` (tuples in ``field_names`` order, FK fields by ``*_id`` value).

    ``rows`` may be a generator, but it must not query the database: on PostgreSQL the
    connection is busy streaming COPY until the last row is written.
    """
    # The connection itself, not django.db.connection's proxy, which looks it up again on
    # every attribute a field's conversion reads (a third of a matching run's insert).
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [model._meta.get_field(name) for name in field_names]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    converters = [_converter(field, connection) for field in fields]

    def prepared(row: Sequence) -> tuple:
        return tuple(convert(value) for convert, value in zip(converters, row, strict=True))

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


# Fields whose conversion gives back a value of this type unchanged (exactly these
# classes: a subclass, such as a sealed personal field, converts its own way).
_PLAIN = {
    models.AutoField: int,
    models.BigAutoField: int,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.FloatField: float,
    models.CharField: str,
    models.TextField: str,
}


def _plain_type(field: models.Field) -> type | None:
    if type(field) is models.ForeignKey:
        return _plain_type(field.target_field)
    return _PLAIN.get(type(field))


def _converter(field: models.Field, connection: object) -> Callable[[object], object]:
    """``field``'s conversion of a value for the database, done once for an unchanging
    value that the next row repeats, and not at all for a value it would give back as it
    is (a matching run's 15,000 rows of ids, scores and distances)."""
    last: list = [object(), None]  # the last value seen and what it became
    plain = _plain_type(field)

    def convert(value: object) -> object:
        if type(value) is plain:
            return value
        if value is last[0]:
            return last[1]
        prepared = field.get_db_prep_value(value, connection)
        if isinstance(value, IMMUTABLE):
            last[0], last[1] = value, prepared
        return prepared

    return convert


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
