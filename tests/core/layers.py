"""Which of the platform's apps import which, read from the source (module level and
inside functions alike). Run it to print the graph:

    .venv/bin/python tests/core/layers.py
"""

import ast
from collections import defaultdict
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "cunqi"
# Modules outside any app (the site's URLs, settings, WSGI) and the apps that are not a
# domain (the ground and the infrastructure every domain app may use).
GROUND = {"core", "matching"}


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "cunqi" else None


def modules():
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)
        yield name, path


def imports() -> dict[str, set[str]]:
    """module → the platform's modules it imports."""
    found = defaultdict(set)
    for name, path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found[name].add(node.module)
                found[name].update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found[name].update(alias.name for alias in node.names)
        found[name] = {target for target in found[name] if target.startswith("cunqi.")}
    return found


def app_graph() -> dict[str, set[str]]:
    graph = defaultdict(set)
    for module, targets in imports().items():
        source = _app(module)
        for target in targets:
            if source and (app := _app(target)) and app != source:
                graph[source].add(app)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every elementary circle of the app graph, found by depth-first search."""
    found, seen = [], set()

    def walk(start, node, path):
        for after in sorted(graph.get(node, ())):
            if after == start:
                circle = tuple(sorted(path))
                if circle not in seen:
                    seen.add(circle)
                    found.append([*path, start])
            elif after not in path and after > start:
                walk(start, after, [*path, after])

    for start in sorted(graph):
        walk(start, start, [start])
    return found


if __name__ == "__main__":
    graph = app_graph()
    for app in sorted(graph):
        print(f"{app:12} → {', '.join(sorted(graph[app]))}")
    found = cycles(graph)
    print(
        f"{len(found)} import circles between apps", *(" → ".join(c) for c in found[:5]), sep="\n  "
    )
