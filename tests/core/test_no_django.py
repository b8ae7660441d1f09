import ast
import subprocess
import sys
from pathlib import Path

import ntm.core

CORE = Path(ntm.core.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_source_never_imports_django():
    offenders = {
        p.name: sorted(m for m in _imported_modules(p) if m.split(".")[0] == "django")
        for p in CORE.rglob("*.py")
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_core_and_the_evaluate_command_load_without_django():
    code = (
        "import sys, ntm.core.registry, ntm.core.evaluate, ntm.core.batch, ntm.evaluate_command;"
        "ntm.core.registry.national_sets();"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
