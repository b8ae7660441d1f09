"""The engine is plain Python. Its sources importing neither Django nor any app is a contract of
`lint-imports` (pyproject.toml); here, that it also loads and runs without Django."""

import subprocess
import sys


def test_core_and_the_evaluate_command_load_without_django():
    code = (
        "import sys, ntm.core.registry, ntm.core.evaluate, ntm.core.batch, ntm.evaluate_command;"
        "ntm.core.registry.national_sets();"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
