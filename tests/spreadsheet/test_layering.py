"""The spreadsheet layer sits below every app: it imports neither Django nor any ntm module
outside itself, so that the values import, the record sheets, the class lists, the criteria
workbooks and the evidence checks can all stand on it. Its sources' imports are a contract of
`lint-imports` (pyproject.toml); here, that it loads without Django."""

from __future__ import annotations

import subprocess
import sys


def test_the_layer_loads_without_django():
    code = (
        "import sys, ntm.spreadsheet;"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
