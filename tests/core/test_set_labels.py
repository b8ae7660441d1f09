"""Pages name a criteria set by its decision, never by its id (issue 10: no raw codes)."""

from ntm.core.registry import get_set, national_sets


def test_a_commune_set_is_named_by_its_decision():
    assert get_set("qd1980-2016").label == "QĐ 1980/QĐ-TTg"
    assert get_set("qd51-2025").label == "QĐ 51/2025/QĐ-TTg"


def test_a_set_for_provinces_says_so_beside_the_decision_it_shares():
    assert get_set("qd51-2025-province").label == "QĐ 51/2025/QĐ-TTg (cấp tỉnh)"
    assert get_set("qd320-2022").label == "QĐ 320/QĐ-TTg (cấp huyện)"


def test_no_two_shipped_sets_share_a_label():
    labels = [s.label for s in national_sets().values()]
    assert len(labels) == len(set(labels))
