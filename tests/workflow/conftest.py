"""A small cast for the recognition workflow, in Lai Châu.

- `xa`: board of Xã San Thàng (03409, TP Lai Châu), `xa_khac`: board of Xã Nậm Loỏng (same city)
- `huyen`: TP Lai Châu (105), `huyen_khac`: Huyện Than Uyên (110)
- `so_gt`: department owning criterion 2 (Giao thông), `so_con_lai`: every other criterion
- `tinh`: provincial coordination office (pre-2025 province row), `lanh_dao`: leader
Each fixture is a logged-in test client; `.user` is the user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ntm.accounts.models import Membership
from ntm.units.models import Unit
from ntm.workflow.models import Dossier

ALL_19 = [str(n) for n in range(1, 20)]


def unit(level: str, code: str, *, new: bool = False) -> Unit:
    return Unit.objects.get(level=level, code=code, valid_from__isnull=not new)


@pytest.fixture
def make_client(db: None, django_user_model: Any) -> Callable[..., Client]:
    def make(username: str, role: str, unit: Unit | None, criteria: list[str] | None = None):
        user = django_user_model.objects.create_user(username=username, password="mat-khau-thu")
        Membership.objects.create(user=user, role=role, unit=unit, criteria=criteria or [])
        client = Client()
        client.force_login(user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def xa(commune: Unit, make_client: Callable[..., Client]) -> Client:
    return make_client("xa_santhang", "commune", commune)


@pytest.fixture
def xa_khac(laichau: None, make_client: Callable[..., Client]) -> Client:
    return make_client("xa_namloong", "commune", unit("commune", "03403"))


@pytest.fixture
def huyen(laichau: None, make_client: Callable[..., Client]) -> Client:
    return make_client("huyen_tplc", "district", unit("district", "105"))


@pytest.fixture
def huyen_khac(laichau: None, make_client: Callable[..., Client]) -> Client:
    return make_client("huyen_thanuyen", "district", unit("district", "110"))


@pytest.fixture
def tinh(laichau: None, make_client: Callable[..., Client]) -> Client:
    return make_client("vp_tinh", "province", unit("province", "12"))


@pytest.fixture
def so_gt(laichau: None, make_client: Callable[..., Client]) -> Client:
    return make_client("so_gtvt", "department", unit("province", "12"), ["2"])


@pytest.fixture
def so_con_lai(laichau: None, make_client: Callable[..., Client]) -> Client:
    others = [c for c in ALL_19 if c != "2"]
    return make_client("so_khac", "department", unit("province", "12"), others)


@pytest.fixture
def lanh_dao(laichau: None, make_client: Callable[..., Client]) -> Client:
    return make_client("lanh_dao", "leader", unit("province", "12"))


class Flow:
    """Posts the dossier page's forms, as the given client, and checks the answer."""

    def __init__(self, dossier_id: int) -> None:
        self.id = dossier_id

    @property
    def dossier(self) -> Dossier:
        return Dossier.objects.get(pk=self.id)

    def post(self, client: Client, action: str, expect: int = 302, **data: Any) -> Any:
        response = client.post(f"/ho-so/{self.id}/{action}/", data)
        assert response.status_code == expect, response.content.decode()[:3000]
        return response

    def advance(self, client: Client, expect: int = 302, **data: Any) -> Any:
        return self.post(client, "chuyen-buoc", expect, **data)

    def back(self, client: Client, to_stage: str, reason: str, expect: int = 302) -> Any:
        return self.post(client, "tra-lai", expect, to_stage=to_stage, reason=reason)

    def appraise(
        self, client: Client, criteria: list[str], verdict: str = "dat", note: str = ""
    ) -> None:
        for code in criteria:
            self.post(client, "tham-dinh", criterion=code, verdict=verdict, note=note)

    def recognise(self, client: Client, expect: int = 302, **data: Any) -> Any:
        fields = {"number": "1234/QĐ-UBND", "date": "20/12/2018", "signer": "Nguyễn Văn A"}
        return self.post(client, "quyet-dinh", expect, **{**fields, **data})

    def revoke(self, client: Client, expect: int = 302, **data: Any) -> Any:
        fields = {
            "number": "99/QĐ-UBND",
            "date": dt.date(2019, 6, 1).isoformat(),
            "signer": "Nguyễn Văn B",
            "reason": "Tiêu chí 2 không còn đạt",
        }
        return self.post(client, "thu-hoi", expect, **{**fields, **data})


@pytest.fixture
def open_dossier() -> Callable[[Client, Unit, int], Flow]:
    def open_(client: Client, unit: Unit, year: int) -> Flow:
        # Confirmed: most of these communes have no data meeting the standard (the warning
        # step itself is tests/workflow/test_dossier_open_warning.py).
        response = client.post(f"/xa/{unit.id}/{year}/ho-so/mo/", {"xac_nhan": "1"})
        assert response.status_code == 302, response.content.decode()[:2000]
        dossier = Dossier.objects.get(unit=unit, year=year, status__in=["draft"])
        assert response["Location"] == f"/ho-so/{dossier.id}/"
        return Flow(dossier.id)

    return open_
