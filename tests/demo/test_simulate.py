from ntm.demo.simulate import YEAR_TARGETS, criteria_counts

CODES = [f"{3400 + k:05d}" for k in range(96)]


def test_counts_hit_each_year_total_and_number_meeting_the_standard():
    for year, (total, meeting) in YEAR_TARGETS.items():
        counts = criteria_counts(CODES, year, 19)
        assert sum(counts.values()) == total
        assert sum(1 for c in counts.values() if c == 19) == meeting
        assert all(0 <= c <= 19 for c in counts.values())


def test_counts_are_deterministic():
    assert criteria_counts(CODES, 2018, 19) == criteria_counts(list(reversed(CODES)), 2018, 19)
