"""The "việc cần làm" page lists exactly the dossiers waiting for the user."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ntm.units.models import Unit
from ntm.workflow import services
from ntm.workflow.models import Dossier
from tests.workflow.conftest import ALL_19, unit

pytestmark = pytest.mark.django_db


def waiting(client) -> set[int]:
    response = client.get("/viec-can-lam/")
    assert response.status_code == 200
    table = response.content.decode().split('id="todo"')[1]
    return {int(n) for n in re.findall(r'href="/ho-so/(\d+)/"', table)}


def walk(dossier: Dossier, to_stage: str, cast: dict, board=None) -> Dossier:
    """Move a dossier forward through the services, each stage by its own role."""
    cast = {**cast, "commune": board or cast["commune"]}
    while dossier.current_stage != to_stage:
        stage = dossier.stage
        assert stage is not None
        if stage.kind == "appraisal":
            for code in ALL_19:
                who = cast["so_gt"] if code == "2" else cast["so_con_lai"]
                services.appraisal_record(actor=who, dossier=dossier, criterion=code, verdict="dat")
        elif stage.kind == "decision":
            services.dossier_recognise(
                actor=cast["province"],
                dossier=dossier,
                number="1/QĐ",
                date=dt.date(2019, 1, 15),
                signer="A",
            )
        else:
            services.dossier_advance(actor=cast[stage.role], dossier=dossier)
        dossier.refresh_from_db()
    return dossier


@pytest.fixture
def cast(xa, xa_khac, huyen, so_gt, so_con_lai, tinh):
    return {
        "commune": xa.user,
        "district": huyen.user,
        "so_gt": so_gt.user,
        "so_con_lai": so_con_lai.user,
        "department": so_con_lai.user,
        "province": tinh.user,
    }


def open_(user, commune: Unit, year: int) -> Dossier:
    return services.dossier_open(actor=user, unit=commune, year=year)


def test_each_office_sees_exactly_the_dossiers_waiting_for_it(
    xa, xa_khac, huyen, huyen_khac, so_gt, so_con_lai, tinh, lanh_dao, cast, commune
):
    nam_loong = unit("commune", "03403")
    draft = open_(xa.user, commune, 2016)
    at_district = walk(open_(xa.user, commune, 2017), "huyen_tham_tra", cast)
    partly = walk(open_(xa_khac.user, nam_loong, 2018), "so_nganh_tham_dinh", cast, xa_khac.user)
    services.appraisal_record(actor=so_gt.user, dossier=partly, criterion="2", verdict="dat")
    at_decision = walk(open_(xa.user, commune, 2018), "quyet_dinh", cast)
    done = walk(open_(xa.user, commune, 2019), "hoan_tat", cast)
    returned = walk(open_(xa_khac.user, nam_loong, 2017), "tinh_tham_dinh", cast, xa_khac.user)
    services.dossier_return(
        actor=tinh.user, dossier=returned, to_stage="lay_y_kien", reason="Bổ sung biên bản"
    )

    assert waiting(xa) == {draft.id}
    assert waiting(xa_khac) == {returned.id}
    assert waiting(huyen) == {at_district.id}
    assert waiting(huyen_khac) == set()
    assert waiting(so_gt) == set()  # criterion 2 of Nậm Loỏng is done
    assert waiting(so_con_lai) == {partly.id}
    assert waiting(tinh) == {at_decision.id}
    assert waiting(lanh_dao) == set()
    assert done.status == "recognised"
    html = so_con_lai.get("/viec-can-lam/").content.decode()
    assert "Thẩm định tiêu chí 1, 3, 4" in html


def test_the_todo_page_runs_a_bounded_number_of_queries(
    so_con_lai, tinh, cast, laichau, make_client, django_assert_max_num_queries
):
    communes = list(
        Unit.objects.filter(level="commune", valid_from__isnull=True).order_by("code")[:12]
    )
    for n, commune in enumerate(communes):
        board = make_client(f"xa_{n}", "commune", commune)
        dossier = open_(board.user, commune, 2018)
        if commune.parent.level == "district":
            cast["district"] = make_client(f"huyen_{n}", "district", commune.parent).user
        walk(dossier, "so_nganh_tham_dinh" if n % 2 else "tinh_tham_dinh", cast, board.user)
    # 8 for the dossiers waiting, 1 for the recognised communes (slipping alerts, none here).
    with django_assert_max_num_queries(9):
        assert len(waiting(so_con_lai)) == 6
    with django_assert_max_num_queries(9):
        assert len(waiting(tinh)) == 6
