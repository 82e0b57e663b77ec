"""Dependencies point one way: integrations imports tracking, never the reverse."""

import ast
from pathlib import Path

import tracking

TRACKING = Path(tracking.__file__).parent


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return modules


def test_tracking_never_imports_integrations():
    offenders = {
        str(path.relative_to(TRACKING)): sorted(
            module
            for module in imported_modules(path)
            if module == "integrations" or module.startswith("integrations.")
        )
        for path in TRACKING.rglob("*.py")
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}
