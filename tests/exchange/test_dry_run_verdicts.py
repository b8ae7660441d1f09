"""The import's dry run judges the touched communes with the file's values, without writing:
which verdicts would change (criteria met, the standard, criteria gained or lost); after the
commit the communes written link to their page; counts in Vietnamese format; no hash shown."""

from __future__ import annotations

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ntm.core.specs import load_spec_file
from ntm.criteria.services import spec_save
from ntm.demo.services import SPECS_DIR
from ntm.demo.simulate import _threshold, _value
from ntm.exchange import verdicts
from ntm.exchange.models import ImportJob
from ntm.indicators.models import Evaluation
from ntm.indicators.services import commune_criteria, values_set
from ntm.units.models import Unit
from tests.exchange.conftest import NAM_LOONG, SAN_THANG, YEAR, long_csv

pytestmark = pytest.mark.django_db

INCOME = "10"  # criterion 10 (thu nhập): one indicator, ≥ 36 triệu đồng/người/năm (2016-2020)


@pytest.fixture(autouse=True)
def import_root(settings, tmp_path):
    settings.NTM_IMPORT_ROOT = tmp_path / "imports"


@pytest.fixture
def thresholds(laichau):
    """The demo's provincial thresholds for QĐ 1980/2016, so that every criterion can be met."""
    spec_save(data=load_spec_file(SPECS_DIR / "laichau_demo_qd1980.yaml"))


def meeting_every_criterion(unit: Unit, *, income: float) -> None:
    cset, cls = commune_criteria(unit=unit, year=YEAR)
    rng = random.Random(unit.code)
    values = {
        ind.code: _value(ind, _threshold(ind, cset, cls), rng, passes=True)
        for ind in cset.indicators
    }
    values_set(unit=unit, year=YEAR, values={**values, INCOME: income})


def commune_of(code: str) -> Unit:
    return Unit.objects.get(level="commune", code=code, valid_from__isnull=True)


def upload(client, data: bytes) -> tuple[str, str]:
    response = client.post("/nhap-tep/", {"tep": SimpleUploadedFile("so-lieu.csv", data)})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"], client.get(response["Location"]).content.decode()


def section(page: str) -> str:
    return page.split('<section id="verdicts"')[1].split("</section>")[0]


def test_the_dry_run_shows_a_commune_that_would_meet_the_standard_and_writes_nothing(
    client, office, commune, thresholds
):
    meeting_every_criterion(commune, income=30)
    assert Evaluation.objects.get(unit=commune, year=YEAR).criteria_met == 18
    client.force_login(office)
    _, page = upload(client, long_csv((SAN_THANG, YEAR, INCOME, 40)))
    shown = section(page)
    assert "Kết quả đánh giá sẽ thay đổi khi ghi" in shown
    assert "1 xã-năm có số liệu thay đổi; 1 xã-năm thay đổi kết quả đánh giá." in shown
    assert "1 đạt chuẩn mới." in shown
    assert "18 → <b>19</b>/19" in shown
    assert 'Chưa đạt → <b class="met">Đạt</b>' in shown
    assert "TC 10 (Thu nhập)" in shown
    assert f'href="/xa/{commune.pk}/{YEAR}/"' in shown
    stored = Evaluation.objects.get(unit=commune, year=YEAR)
    assert (stored.criteria_met, stored.meets_standard) == (18, False)


def test_the_dry_run_names_the_criterion_a_commune_would_lose(client, office, commune, thresholds):
    meeting_every_criterion(commune, income=40)
    client.force_login(office)
    upload(client, long_csv((SAN_THANG, YEAR, INCOME, 30)))
    report = ImportJob.objects.get().report["verdicts"]
    [row] = report["changed"]
    assert (row["before_met"], row["after_met"], row["total"]) == (19, 18, 19)
    assert (row["before_standard"], row["after_standard"]) == (True, False)
    assert (row["gained"], row["lost"]) == ([], [["10", "Thu nhập"]])
    assert (report["standard_gained"], report["standard_lost"]) == (0, 1)


def test_a_value_that_changes_no_verdict_lists_no_commune(client, office, commune, thresholds):
    meeting_every_criterion(commune, income=40)
    client.force_login(office)
    _, page = upload(client, long_csv((SAN_THANG, YEAR, INCOME, 45)))
    assert "0 xã-năm thay đổi kết quả đánh giá" in section(page)
    assert 'id="verdict-changes"' not in page
    assert ImportJob.objects.get().report["verdicts"]["changed_count"] == 0


def test_a_commune_judged_for_the_first_time_is_a_change(client, office, commune):
    client.force_login(office)
    upload(client, long_csv((SAN_THANG, YEAR, "1.1", "đạt"), (SAN_THANG, YEAR, "1.2", "đạt")))
    [row] = ImportJob.objects.get().report["verdicts"]["changed"]
    assert (row["before_met"], row["after_met"]) == (None, 1)
    assert row["gained"] == [["1", "Quy hoạch"]]
    assert not Evaluation.objects.exists()


def test_after_the_commit_the_communes_written_link_to_their_page(client, office, commune):
    client.force_login(office)
    url, _ = upload(client, long_csv((SAN_THANG, YEAR, "1.1", "đạt"), (SAN_THANG, YEAR, "1.2", 1)))
    assert client.post(url + "ghi/").status_code == 302
    page = client.get(url).content.decode()
    assert "Kết quả đánh giá đã thay đổi" in page
    written = page.split('id="communes-written"')[1].split("</ul>")[0]
    assert f'<a href="/xa/{commune.pk}/{YEAR}/">Xã San Thàng — {YEAR}</a>' in written
    assert "(2 ô)" in written
    assert Evaluation.objects.get(unit=commune, year=YEAR).criteria["1"] == "met"


def test_only_the_first_communes_are_listed_with_the_count_of_the_rest(
    client, office, commune, monkeypatch
):
    monkeypatch.setattr(verdicts, "MAX_SHOWN", 1)
    client.force_login(office)
    data = long_csv((SAN_THANG, YEAR, "1.1", "đạt"), (NAM_LOONG, YEAR, "1.1", "đạt"))
    _, page = upload(client, data)
    report = ImportJob.objects.get().report["verdicts"]
    assert (report["changed_count"], len(report["changed"])) == (2, 1)
    assert (report["communes_count"], len(report["communes"])) == (2, 1)
    assert "… và 1 xã-năm nữa thay đổi kết quả đánh giá." in section(page)


def a_job(user, **report) -> ImportJob:
    return ImportJob.objects.create(
        user=user,
        file_name="lon.csv",
        size=10,
        sha256="ab" * 32,
        status=ImportJob.Status.DONE,
        report=report,
        message="Đã ghi.",
    )


def test_counts_are_in_vietnamese_format_and_no_hash_is_shown(client, board):
    counts = {"cells": 12345, "added": 2345, "changed": 10000, "unchanged": 0, "errors": 0}
    job = a_job(board, counts=counts, changes=[])
    client.force_login(board)
    page = client.get(f"/nhap-tep/{job.pk}/").content.decode()
    assert "Ô hợp lệ<b>12.345</b>" in page
    assert "Thêm mới<b>2.345</b>" in page and "Sửa (cũ → mới)<b>10.000</b>" in page
    assert job.sha256 not in page and "sha-256" not in page.lower() and "sha256" not in page


def test_a_commune_outside_the_viewers_scope_is_named_without_a_link(client, board, commune):
    neighbour = commune_of(NAM_LOONG)
    rows = [
        {"unit_id": u.pk, "unit": u.code, "unit_name": u.name, "year": YEAR, "cells": 1}
        for u in (commune, neighbour)
    ]
    shown = {"communes": rows, "communes_count": 2, "changed": [], "changed_count": 0}
    job = a_job(board, counts={"cells": 2}, changes=[], verdicts=shown)
    client.force_login(board)
    page = client.get(f"/nhap-tep/{job.pk}/").content.decode()
    written = page.split('id="communes-written"')[1].split("</ul>")[0]
    assert f'href="/xa/{commune.pk}/{YEAR}/"' in written
    assert f"{neighbour.name} — {YEAR}" in written
    assert f"/xa/{neighbour.pk}/" not in written


def test_a_department_sees_the_communes_written_but_no_overall_result(client, education, commune):
    client.force_login(education)
    url, page = upload(client, long_csv((SAN_THANG, YEAR, "14.2", 80)))
    assert ImportJob.objects.get().report["verdicts"]["changed_count"] == 1
    assert 'id="verdict-changes"' not in page and "Kết quả đánh giá sẽ thay đổi" not in page
    client.post(url + "ghi/")
    page = client.get(url).content.decode()
    assert f'href="/xa/{commune.pk}/{YEAR}/"' in page
