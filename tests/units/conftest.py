import pytest

from ntm.units.services import units_load_laichau


@pytest.fixture
def laichau(db: None) -> None:
    """Lai Châu in both structures with its 2020 and 2025 events (about 0.3 s)."""
    units_load_laichau()
