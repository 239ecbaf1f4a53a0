"""Every parameter of the platform's functions carries a type hint (``self`` and ``cls``
aside, migrations excluded): a reader knows what a ``row`` or a ``previous`` is without
following the calls."""

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "cunqi"


def unhinted_parameters():
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            arguments = node.args
            for argument in (
                *arguments.posonlyargs,
                *arguments.args,
                *arguments.kwonlyargs,
                *filter(None, (arguments.vararg, arguments.kwarg)),
            ):
                if argument.arg not in ("self", "cls") and argument.annotation is None:
                    where = path.relative_to(SOURCE.parent)
                    yield f"{where}:{node.lineno} {node.name}({argument.arg})"


def test_every_parameter_has_a_type_hint():
    assert list(unhinted_parameters()) == []
