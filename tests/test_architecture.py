"""The layers of docs/architecture.md hold: no import cycle inside an app, no import hidden in a function.

`lint-imports` (run by scripts/test) checks the layer order itself (`.importlinter`).
"""

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "accounts", "complaints", "disputes")


def _production_modules(graph: grimp.ImportGraph, app: str) -> set[str]:
    return {
        module
        for module in graph.find_descendants(app) | {app}
        if ".tests" not in module and ".migrations" not in module
    }


def _cycle(graph: grimp.ImportGraph, modules: set[str]) -> list[str] | None:
    """A cycle among `modules` (imports between them only), or None."""
    edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for imported in sorted(edges[module]):
            if state.get(imported) == 1:
                return [*stack[stack.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(modules):
        if module not in state and (found := visit(module)):
            return found
    return None


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*APPS, "config", include_external_packages=False, exclude_type_checking_imports=True)


@pytest.mark.parametrize("app", APPS)
def test_no_import_cycle_between_the_modules_of_an_app(graph, app):
    # A package's __init__ re-exporting its modules is not a cycle of rules: leave those edges out.
    modules = {m for m in _production_modules(graph, app) if not graph.find_children(m)}
    assert _cycle(graph, modules) is None


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycle(graph, {"pkg.a", "pkg.b", "pkg.c"}) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
    graph.remove_import(importer="pkg.c", imported="pkg.a")
    assert _cycle(graph, {"pkg.a", "pkg.b", "pkg.c"}) is None


def _function_imports(path: Path) -> list[str]:
    """Imports of Redress's own modules inside functions (outside `if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text())
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                if node.level or module.split(".")[0] in {*APPS, "config"}:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {module}")
    return found


def test_no_import_of_redress_code_sits_inside_a_function():
    # An AppConfig.ready() may import models: Django forbids it at module level there.
    allowed = {"accounts/apps.py", "complaints/apps.py", "disputes/apps.py", "inbound/apps.py"}
    sources = [
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    found = [line for path in sources for line in _function_imports(path) if line.split(":")[0] not in allowed]
    assert found == []
