"""Types of the fields inside a lakehouse column's structs, arrays and maps.

Bronze keeps the API's nesting (`dates.start.localDate`, `priceRanges[0].min`,
`_embedded.venues[0].name`). A field is typed through the path that reaches it from its column:
the column's name, `.field` for a struct's field and `[]` for an array's element or a map's value,
all lower case (`priceranges[].min`). The lakehouse's column types give each path its type, so a
field is not typed by its last name alone (which any other column may share).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from sqlglot import exp


def candidate_paths(node: exp.Expression) -> list[str]:
    """The paths a qualified name or a field of one may take: from a column (`dates.start.localdate`),
    then, where the name is qualified, from after a table's name (`e.dates...` read as table e)."""
    path = field_path(node)
    if path is None:
        return []
    root = node
    while isinstance(root, (exp.Dot, exp.Bracket)):
        root = root.this
    qualified = isinstance(root, exp.Column) and bool(root.table)
    return [path, path.split(".", 1)[1]] if qualified else [path]


def field_path(node: exp.Expression) -> str | None:
    """The path of a field reached from a column by names and subscripts, or None for anything else."""
    if isinstance(node, exp.Column):
        return ".".join(part.name for part in node.parts).lower() if node.name else None
    if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Identifier):
        inner = field_path(node.this)
        return f"{inner}.{node.expression.name.lower()}" if inner else None
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        inner = field_path(node.this)
        return f"{inner}[]" if inner else None
    return None


def field_paths(column: str, data_type: str) -> Iterator[tuple[str, str | None]]:
    """The path of every field below a column of this DuckDB type, with the field's type."""
    for suffix, kind in _suffixes(data_type):
        yield column.lower() + suffix, kind


def struct_paths(column: str, data_type: exp.DataType) -> Iterator[tuple[str, str | None]]:
    """The same for a type as parsed."""
    yield from _below(column.lower(), data_type)


@lru_cache(maxsize=512)
def _suffixes(data_type: str) -> tuple[tuple[str, str | None], ...]:
    """The paths below a column of this type, without the column's name (types recur across tables)."""
    try:
        parsed = exp.DataType.build(data_type, dialect="duckdb")
    except Exception:  # noqa: BLE001 - a type sqlglot cannot read: its fields stay untyped
        return ()
    return tuple(_below("", parsed))


def _below(path: str, data_type: exp.DataType) -> Iterator[tuple[str, str | None]]:
    if data_type.is_type(exp.DataType.Type.STRUCT):
        for field in data_type.expressions:
            if isinstance(field, exp.ColumnDef) and isinstance(field.args.get("kind"), exp.DataType):
                yield from _node(f"{path}.{field.name.lower()}", field.args["kind"])
    elif data_type.is_type(exp.DataType.Type.ARRAY) and data_type.expressions:
        element = data_type.expressions[0]
        yield from _node(f"{path}[]", element)
        if element.is_type(exp.DataType.Type.STRUCT):  # `arr.f`: the array of each element's field
            for field in element.expressions:
                if isinstance(field, exp.ColumnDef):
                    yield f"{path}.{field.name.lower()}", "LIST"
    elif data_type.is_type(exp.DataType.Type.MAP) and len(data_type.expressions) == 2:
        yield from _node(f"{path}[]", data_type.expressions[1])


def _node(path: str, data_type: exp.DataType) -> Iterator[tuple[str, str | None]]:
    from dialect.types import parsed_kind  # dialect.types types fields through field_path

    yield path, parsed_kind(data_type)
    yield from _below(path, data_type)
