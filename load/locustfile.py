"""The mix of `make load`: commune boards saving, offices reading dashboards, API clients.

The plan (accounts, tokens, units) comes from load.accounts through NTM_LOAD_PLAN. A save
refused because someone else changed the cell since it was read (409) is what two officers on
one cell get, not an error; every other status than the expected ones is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["NTM_LOAD_PLAN"]).read_text(encoding="utf-8"))
YEAR, CODE = PLAN["year"], PLAN["code"]
_communes = itertools.cycle(PLAN["communes"])
_offices = itertools.cycle(PLAN["offices"])
_FIELD = r'name="{name}" value="([^"]*)"'
# Saves refused as conflicts, by endpoint: written beside the plan for load.run to print.
CONFLICTS: dict[str, int] = {}


@events.test_stop.add_listener
def _write_conflicts(**_kwargs: Any) -> None:
    Path(os.environ["NTM_LOAD_PLAN"]).with_name("conflicts.json").write_text(json.dumps(CONFLICTS))


def _login(user: HttpUser, username: str, password: str) -> None:
    user.client.get("/dang-nhap/", name="/dang-nhap/")
    token = user.client.cookies.get("csrftoken", "")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    with user.client.post(
        "/dang-nhap/",
        data=form,
        name="/dang-nhap/ (POST)",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"đăng nhập {username}: {response.status_code}")


def _expect(response: Any, name: str, *statuses: int) -> None:
    if response.status_code == 409:
        CONFLICTS[name] = CONFLICTS.get(name, 0) + 1
    if response.status_code in statuses:
        response.success()
    else:
        response.failure(f"trạng thái {response.status_code}, chờ {statuses}")


class CommuneOfficer(HttpUser):
    """A commune board typing its figures: the entry form mostly, a spreadsheet tool by API."""

    weight = 4
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.commune = next(_communes)
        self.api = {"Authorization": f"Token {self.commune['token']}"}
        _login(self, self.commune["username"], PLAN["password"])

    @task(3)
    def save_through_form(self) -> None:
        url = f"/xa/{self.commune['id']}/{YEAR}/nhap/"
        with self.client.get(url, name="/xa/[id]/[năm]/nhap/", catch_response=True) as page:
            version = re.search(_FIELD.format(name=re.escape(f"ver-{CODE}")), page.text)
            original = re.search(_FIELD.format(name=re.escape(f"orig-{CODE}")), page.text)
            if page.status_code != 200 or version is None or original is None:
                # Without the cell's version every save would be a "conflict": say so instead.
                page.failure(f"trạng thái {page.status_code}, hoặc không có ô {CODE} trên trang")
                return
        form = {
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            f"ver-{CODE}": version.group(1),
            f"orig-{CODE}": original.group(1),
            f"val-{CODE}": str(random.randint(0, 100)),
        }
        with self.client.post(
            url,
            data=form,
            name="/xa/[id]/[năm]/nhap/ (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            _expect(response, "/xa/[id]/[năm]/nhap/ (POST)", 302, 409)

    @task(2)
    def save_through_api(self) -> None:
        query = {"unit": self.commune["code"], "year": YEAR}
        read = self.client.get(
            "/api/v1/values/", params=query, headers=self.api, name="/api/v1/values/"
        )
        if not read.ok:
            return  # counted as a failure by locust already
        stored = [v for v in read.json()["values"] if v["indicator"] == CODE]
        cell = {
            "indicator": CODE,
            "value": random.randint(0, 100),
            "version": stored[0]["version"] if stored else None,
        }
        body = {"unit": self.commune["code"], "year": YEAR, "values": [cell]}
        with self.client.post(
            "/api/v1/values/",
            json=body,
            headers=self.api,
            name="/api/v1/values/ (POST)",
            catch_response=True,
        ) as response:
            _expect(response, "/api/v1/values/ (POST)", 200, 409)

    @task(1)
    def own_page(self) -> None:
        self.client.get(f"/xa/{self.commune['id']}/{YEAR}/", name="/xa/[id]/[năm]/")


class Office(HttpUser):
    """A province or district office watching its communes."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.office = next(_offices)
        _login(self, self.office["username"], self.office["password"])

    @task(3)
    def dashboard(self) -> None:
        self.client.get(f"/don-vi/{self.office['unit_id']}/{YEAR}/", name="/don-vi/[id]/[năm]/")

    @task(2)
    def commune_list(self) -> None:
        self.client.get(
            f"/don-vi/{self.office['unit_id']}/{YEAR}/cac-xa/", name="/don-vi/[id]/[năm]/cac-xa/"
        )

    @task(2)
    def commune_page(self) -> None:
        commune = random.choice(self.office["communes"])
        self.client.get(f"/xa/{commune['id']}/{YEAR}/", name="/xa/[id]/[năm]/")


class ApiClient(HttpUser):
    """Another system reading summaries and verdicts with a token."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.office = next(_offices)
        self.api = {"Authorization": f"Token {PLAN['tokens'][self.office['username']]}"}

    @task(2)
    def summary(self) -> None:
        self.client.get(
            f"/api/v1/units/{self.office['unit_code']}/summary/",
            params={"year": YEAR},
            headers=self.api,
            name="/api/v1/units/[mã]/summary/",
        )

    @task(2)
    def evaluations(self) -> None:
        self.client.get(
            "/api/v1/evaluations/",
            params={"unit": self.office["unit_code"], "year": YEAR},
            headers=self.api,
            name="/api/v1/evaluations/",
        )

    @task(1)
    def commune_summary(self) -> None:
        commune = random.choice(self.office["communes"])
        self.client.get(
            f"/api/v1/units/{commune['code']}/summary/",
            params={"year": YEAR},
            headers=self.api,
            name="/api/v1/units/[mã]/summary/",
        )
