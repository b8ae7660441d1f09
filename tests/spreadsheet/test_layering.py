"""The spreadsheet layer sits below every app: it imports neither Django nor any ntm module
outside itself, so that the values import, the record sheets, the class lists, the criteria
workbooks and the evidence checks can all stand on it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ntm.spreadsheet

LAYER = Path(ntm.spreadsheet.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_layer_imports_neither_django_nor_any_app():
    offenders = {
        p.name: sorted(
            m
            for m in _imports(p)
            if m.split(".")[0] == "django"
            or (m.startswith("ntm.") and not m.startswith("ntm.spreadsheet"))
        )
        for p in LAYER.rglob("*.py")
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_the_layer_loads_without_django():
    code = (
        "import sys, ntm.spreadsheet;"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
