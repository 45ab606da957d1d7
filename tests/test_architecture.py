"""The code's shape as docs/architecture.md describes it: layers, one listener, small modules.

Read from the source with ``ast``, so a new module is checked without being listed here.
"""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Bottom to top: an app imports only apps listed before it (docs/architecture.md, "Layers").
LAYERS = (
    "core",
    "places",
    "events",
    "website",
    "regions",
    "home",
    "applications",
    "publishing",
    "api",
    "staticsite",
)
#: On top of everything; nothing imports them.
TOP = ("demo", "bench", "cms")
PROJECT_PACKAGES = (*LAYERS, *TOP)

MAX_MODULE_LINES = 600
MAX_FUNCTION_LEVEL_IMPORTS = 30
MAX_RECEIVER_MODULES = 3


def _is_test_module(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    return (
        "tests" in relative.parts
        or relative.name.startswith("test_")
        or relative.name == "conftest.py"
    )


@cache
def _modules() -> dict[Path, ast.Module]:
    modules = {}
    for package in PROJECT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or _is_test_module(path):
                continue
            modules[path] = ast.parse(path.read_text(), filename=str(path))
    return modules


def _project_imports(tree: ast.Module):
    """(imported project package, node) for every import of a project module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            package = name.split(".")[0]
            if package in PROJECT_PACKAGES:
                yield package, node


def _package_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


def test_apps_import_only_the_layers_below_them():
    wrong = []
    for path, tree in _modules().items():
        importer = _package_of(path)
        for imported, node in _project_imports(tree):
            if imported == importer or importer in TOP:
                continue
            if imported in TOP or LAYERS.index(imported) > LAYERS.index(importer):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_few_project_imports_hide_inside_functions():
    inside = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in _modules().items()
        for _package, node in _project_imports(tree)
        if node.col_offset > 0
    ]
    assert len(inside) <= MAX_FUNCTION_LEVEL_IMPORTS, "\n".join(inside)


def test_no_module_is_longer_than_the_limit():
    long = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in _modules()
        if len(path.read_text().splitlines()) > MAX_MODULE_LINES
    }
    assert not long, long


def _connects_signals(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id == "receiver":
                return True
            if (
                isinstance(function, ast.Attribute)
                and function.attr == "connect"
                # database drivers' connect() is no signal
                and not (
                    isinstance(function.value, ast.Name)
                    and function.value.id in ("sqlite3", "psycopg")
                )
            ):
                return True
    return False


def test_signal_receivers_live_in_few_modules():
    listeners = [
        str(path.relative_to(ROOT)) for path, tree in _modules().items() if _connects_signals(tree)
    ]
    assert len(listeners) <= MAX_RECEIVER_MODULES, listeners
    assert all(name.startswith("publishing/") for name in listeners), listeners
