"""Dependencies between apps point one way (DESIGN section 3), read from the source with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FEATURE_APPS = {"spaces", "activities", "learning", "network", "guidance"}
APPS = ["convening", "spaces", "activities", "learning", "demo"]


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, absolute or relative, as a dotted name."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
                names = (
                    [f"{module}.{alias.name}" for alias in node.names] if not node.module else []
                )
                found += [(node.lineno, module), *((node.lineno, name) for name in names)]
            elif node.module:
                found.append((node.lineno, node.module))
    return found


def _source_files(app: str) -> list[Path]:
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def test_the_apps_are_found():
    assert len(_source_files("convening")) > 10
    assert _imports(ROOT / "learning" / "tasks.py")


@pytest.mark.parametrize("app", ["convening"])
def test_core_imports_no_feature_app(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _source_files(app)
        for line, module in _imports(path)
        if module.split(".")[0] in FEATURE_APPS | {"demo"}
    ]
    assert wrong == []


def test_nothing_imports_demo():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in APPS
        if app != "demo"
        for path in _source_files(app)
        for line, module in _imports(path)
        if module.split(".")[0] == "demo"
    ]
    assert wrong == []


def test_learning_modules_never_import_its_tasks():
    """tasks.py calls into the modules; they queue tasks by name, never by importing tasks.py
    (an import cycle that once needed an importlib fallback). Only the app's ready() loads it,
    once everything else is loaded, so that every process knows the names."""
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _source_files("learning")
        if path.name not in ("tasks.py", "apps.py")
        for line, module in _imports(path)
        if module == "learning.tasks" or module.startswith("learning.tasks.")
    ]
    assert wrong == []
    assert not any(
        "importlib" in module for _, module in _imports(ROOT / "learning" / "delivery.py")
    )


def test_every_task_queued_by_name_is_declared_with_that_name():
    from convening.celery import app
    from learning import contact, delivery, subscriptions, tasks

    names = [
        delivery.SEND_DIGESTS_TASK,
        subscriptions.SEND_CONFIRMATION_TASK,
        contact.SEND_MESSAGE_TASK,
    ]
    declared = {task.name for task in vars(tasks).values() if hasattr(task, "apply_async")}
    for name in names:
        assert name in declared
        assert name in app.tasks
