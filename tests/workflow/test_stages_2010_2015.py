"""Recognitions of 2010-2015, under QĐ 491/2009: a stage file whose legal basis is only partly
confirmed, said so on the dossier page, and a dossier opened for 2013 in the demo."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ntm.core.model import Level
from ntm.core.registry import national_sets
from ntm.units.models import Unit
from ntm.workflow.models import Dossier
from ntm.workflow.stages import STAGES_DIR, load_file, procedure_for_set

UNCONFIRMED = "trình tự chưa xác nhận văn bản"


def test_qd491_has_a_procedure_marked_unconfirmed():
    procedure = procedure_for_set("qd491-2009")
    assert procedure.id == "2010-2015" and not procedure.confirmed
    assert not procedure.provisional


def test_its_sources_name_what_is_confirmed_and_what_is_not():
    basis = procedure_for_set("qd491-2009").sources["qd491-2009"]
    assert "40/2014/TT-BNNPTNT ngày 13/11/2014" in basis
    assert "372/QĐ-TTg ngày 14/3/2014" in basis
    assert "Chưa xác nhận" in basis
    assert "26/2011" not in basis  # suggested, never confirmed: not cited as a basis


def test_its_stage_codes_are_those_of_2016_2025_in_the_same_order():
    old = procedure_for_set("qd491-2009").plan(has_district=True)
    assert old == procedure_for_set("qd1980-2016").plan(has_district=True)


def test_the_other_procedures_stay_confirmed():
    for set_id in ("qd1980-2016", "qd318-2022", "qd51-2025"):
        assert procedure_for_set(set_id).confirmed


def test_every_commune_set_now_has_a_procedure():
    for cset in national_sets().values():
        if cset.level is Level.COMMUNE:
            assert procedure_for_set(cset.id).sources[cset.id]


def test_the_loader_reads_the_flag_and_defaults_to_confirmed(tmp_path: Path):
    text = (STAGES_DIR / "2016-2025.yaml").read_text(encoding="utf-8")
    assert load_file(STAGES_DIR / "2016-2025.yaml").confirmed
    path = tmp_path / "x.yaml"
    path.write_text("confirmed: false\n" + text, encoding="utf-8")
    assert not load_file(path).confirmed


def test_the_command_lists_the_qd491_stages():
    out = StringIO()
    call_command("workflow", "stages", "--set", "qd491-2009", stdout=out)
    assert "qd491-2009" in out.getvalue() and "huyen_tham_tra" in out.getvalue()


# --- in the demo -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("demo", stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def board(client, demo):
    client.force_login(get_user_model().objects.get(username="xa.santhang"))
    return client


@pytest.mark.django_db
def test_a_dossier_is_opened_for_2013_in_the_demo(board):
    san_thang = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    html = board.get(f"/don-vi/{san_thang.pk}/ho-so/").content.decode()
    assert f"/xa/{san_thang.pk}/2013/ho-so/mo/" in html

    response = board.post(f"/xa/{san_thang.pk}/2013/ho-so/mo/", {"xac_nhan": "1"})
    dossier = Dossier.objects.get(unit=san_thang, year=2013)
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.pk}/"
    assert dossier.criteria_set == "qd491-2009"
    assert dossier.current_stage == "tu_danh_gia" and "huyen_tham_tra" in dossier.stages

    html = board.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert UNCONFIRMED in html and "40/2014/TT-BNNPTNT" in html


@pytest.mark.django_db
def test_a_2018_dossier_page_says_nothing_of_an_unconfirmed_procedure(board):
    san_thang = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    board.post(f"/xa/{san_thang.pk}/2018/ho-so/mo/", {"xac_nhan": "1"})
    dossier = Dossier.objects.get(unit=san_thang, year=2018)
    assert UNCONFIRMED not in board.get(f"/ho-so/{dossier.pk}/").content.decode()
