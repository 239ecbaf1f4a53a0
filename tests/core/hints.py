"""How many of the platform's function parameters carry a type hint (``self`` and ``cls``
aside, migrations excluded), and the names most often left without one. Run it:

    .venv/bin/python tests/core/hints.py
"""

import ast
from collections import Counter
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "cunqi"


def parameters():
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args
                for argument in arguments.posonlyargs + arguments.args + arguments.kwonlyargs:
                    if argument.arg not in ("self", "cls"):
                        yield argument


if __name__ == "__main__":
    found = list(parameters())
    hinted = sum(argument.annotation is not None for argument in found)
    print(f"{hinted}/{len(found)} parameters hinted ({100 * hinted / len(found):.0f}%)")
    missing = Counter(argument.arg for argument in found if argument.annotation is None)
    print(
        "most often without:",
        ", ".join(f"{name} {count}" for name, count in missing.most_common(12)),
    )
