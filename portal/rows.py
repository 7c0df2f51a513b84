"""Statements built once per process, their rows turned into what the ORM would make.

Where a page runs the same query for every request, the ORM's building it again each time
(the filter resolved, the SQL compiled, the converters looked up) cost more than the query
(bench/FINDINGS.md: the user of every page, My Technical Issues' rows). The pages' hot
queries are written here once, from the models' own table and column names, quoted by the
backend; their values go through the converters the ORM would apply (SQLite answers dates
as text) and become instances with `Model.from_db`, as a QuerySet makes them.
"""

from django.db import connections


def selected(alias: str, fields) -> tuple[list[str], list]:
    """The quoted `table.column` of each field, and the converters their values need. The
    backend's converters are kept unbound: each thread has a connection of its own."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns, converters = [], []
    for field in fields:
        table = field.model._meta.db_table
        columns.append(f"{quote(table)}.{quote(field.column)}")
        column = field.get_col(table)
        for convert in connection.ops.get_db_converters(column):
            converters.append((len(columns) - 1, convert.__func__, column, True))
        for convert in field.get_db_converters(connection):
            converters.append((len(columns) - 1, convert, column, False))
    return columns, converters


def converted(alias: str, found, converters) -> list[list]:
    """The rows' values as the ORM would hand them to the model."""
    connection = connections[alias]
    ops, rows = connection.ops, []
    for row in found:
        row = list(row)
        for index, convert, column, of_backend in converters:
            if of_backend:
                row[index] = convert(ops, row[index], column, connection)
            else:
                row[index] = convert(row[index], column, connection)
        rows.append(row)
    return rows


def fetch(alias: str, sql: str, params, many=True):
    """Run the statement on the alias's connection: all its rows, or the first (None)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if many else cursor.fetchone()
