"""Stages are data: one file per period, checked when loaded, listed by `ntm workflow stages`."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ntm.core.model import Level
from ntm.core.registry import national_sets
from ntm.workflow.stages import StageFileError, load_file, procedure_for_set


def test_the_2016_2025_sets_have_a_district_verification_stage():
    for set_id in ("qd1980-2016", "qd318-2022"):
        plan = procedure_for_set(set_id).plan(has_district=True)
        assert plan == (
            "tu_danh_gia",
            "lay_y_kien",
            "huyen_tham_tra",
            "so_nganh_tham_dinh",
            "tinh_tham_dinh",
            "quyet_dinh",
            "cong_bo",
        )


def test_a_commune_without_a_district_skips_the_district_stage():
    plan = procedure_for_set("qd318-2022").plan(has_district=False)
    assert "huyen_tham_tra" not in plan and len(plan) == 6


def test_the_2026_set_has_no_district_stage_even_for_a_commune_under_a_district():
    procedure = procedure_for_set("qd51-2025")
    assert procedure.provisional
    assert "huyen_tham_tra" not in procedure.plan(has_district=True)
    assert [s.role for s in procedure.stages] == [
        "commune",
        "commune",
        "department",
        "province",
        "province",
        "province",
    ]


def test_every_commune_set_from_2016_on_has_a_procedure_with_its_legal_source():
    for cset in national_sets().values():
        if cset.level is Level.COMMUNE and cset.effective.year >= 2016:
            assert procedure_for_set(cset.id).sources[cset.id]


def test_a_stage_with_an_unknown_role_is_refused_with_the_file_and_stage_named(tmp_path: Path):
    path = tmp_path / "sai.yaml"
    path.write_text(
        "id: x\ntitle: t\ncriteria_sets: [qd51-2025]\nsources: {qd51-2025: s}\n"
        "stages:\n  - {code: tu_danh_gia, name: Tự đánh giá, role: commune, edits_values: true}\n"
        "  - {code: qd, name: Quyết định, role: thu_tuong, kind: decision}\n",
        encoding="utf-8",
    )
    with pytest.raises(StageFileError, match=r"sai\.yaml, bước 'qd': vai trò 'thu_tuong'"):
        load_file(path)


def test_a_procedure_without_a_decision_stage_is_refused(tmp_path: Path):
    path = tmp_path / "thieu.yaml"
    path.write_text(
        "id: x\ntitle: t\ncriteria_sets: [qd51-2025]\nsources: {qd51-2025: s}\n"
        "stages:\n  - {code: tu_danh_gia, name: Tự đánh giá, role: commune, edits_values: true}\n",
        encoding="utf-8",
    )
    with pytest.raises(StageFileError, match="đúng một bước quyết định"):
        load_file(path)


def test_the_command_lists_the_stages_of_a_set():
    out = StringIO()
    call_command("workflow", "stages", "--set", "qd51-2025", stdout=out)
    text = out.getvalue()
    assert "qd51-2025" in text and "Sở, ngành thẩm định từng tiêu chí" in text
    assert "Huyện thẩm tra" not in text
