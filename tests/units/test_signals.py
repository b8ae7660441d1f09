from ntm.units.signals import units_loaded


def test_the_indicators_app_reevaluates_what_a_registry_load_touched():
    assert units_loaded.has_listeners()
