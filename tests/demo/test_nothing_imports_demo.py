"""The demo app may import everything, and nothing in the product imports it (CONVENTIONS)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Code that runs in the product; tests and the benchmark scripts may use the demo's data.
PRODUCT = ["activities", "convening", "learning", "spaces", "manage.py"]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_product_module_imports_the_demo_app():
    files = [
        path
        for name in PRODUCT
        for path in ([ROOT / name] if name.endswith(".py") else (ROOT / name).rglob("*.py"))
    ]
    assert len(files) > 50
    importers = [
        str(path.relative_to(ROOT))
        for path in files
        if any(module == "demo" or module.startswith("demo.") for module in _imports(path))
    ]
    assert importers == []


def test_the_check_sees_an_import_of_the_demo_app(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("from demo.content import demo_content\nimport demo.region\n")
    assert _imports(module) == {"demo.content", "demo.region"}
