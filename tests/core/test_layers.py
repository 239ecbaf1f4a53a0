"""The layers run downward: no app imports another app's views, the ground (core)
imports no domain app, and no circle of imports joins the apps."""

from tests.core import layers

DOMAIN_APPS = {
    "accounts",
    "registry",
    "pairing",
    "projects",
    "benefits",
    "funds",
    "talent",
    "supervision",
    "dashboard",
    "exchange",
    "api",
    "demo",
}


def test_no_app_imports_another_apps_views():
    crossing = sorted(
        (module, target)
        for module, targets in layers.imports().items()
        for target in targets
        if ".views" in target
        and target.split(".")[1] not in (module.split(".")[1], "core")
        and module.split(".")[1] != "urls"
    )
    assert crossing == []


def test_the_ground_imports_no_domain_app():
    assert layers.app_graph()["core"] & DOMAIN_APPS == set()


def test_no_import_circle_joins_the_apps():
    assert layers.cycles(layers.app_graph()) == []


# The demo's data is a description of the seed programme, not code to read.
LONG_BY_NATURE = {"demo/programme.py"}
MOST_LINES = 600


def test_no_module_is_too_long_to_read():
    source = layers.SOURCE
    too_long = {
        str(path.relative_to(source)): lines
        for path in source.rglob("*.py")
        if "migrations" not in path.parts
        and str(path.relative_to(source)) not in LONG_BY_NATURE
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert too_long == {}
