from ntm.core.summary import bucket_labels, summarise


def test_nineteen_criteria_sets_use_the_report_buckets():
    assert bucket_labels(19) == ["19", "15-18", "10-14", "5-9", "<5"]


def test_buckets_are_scaled_for_ten_criteria():
    labels = bucket_labels(10)
    assert labels[0] == "10" and labels[-1].startswith("<")
    assert len(labels) == 5


def test_summary_counts_buckets_and_rounds_the_average_half_up():
    summary = summarise([19, 18, 15, 14, 10, 9, 5, 4, 0, 1], [True] + [False] * 9, 19)
    assert summary.buckets == {"19": 1, "15-18": 2, "10-14": 2, "5-9": 2, "<5": 3}
    assert summary.meeting_standard == 1
    assert summary.avg_criteria == 9.5


def test_published_lai_chau_averages_come_out_of_the_counts():
    assert summarise([3] * 84 + [2] * 12, [False] * 96, 19).avg_criteria == 2.88  # 276/96


def test_a_district_needs_all_its_communes_at_the_standard():
    from ntm.core.summary import district_meets_standard

    assert district_meets_standard(own_criteria_met=True, communes_meeting=[True, True])
    assert not district_meets_standard(own_criteria_met=True, communes_meeting=[True, False])
    assert not district_meets_standard(own_criteria_met=False, communes_meeting=[True])
    assert not district_meets_standard(own_criteria_met=True, communes_meeting=[])
