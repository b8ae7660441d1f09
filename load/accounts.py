"""The accounts of `make load`, made in the load server's database after `ntm demo`.

`python -m load.accounts` (with the server's environment) gives each of the first COMMUNES
communes of Lai Châu in YEAR a board account and an API token (the token function of
`ntm token`), and prints the plan the locustfile reads as JSON: accounts, passwords, units.
Demo passwords only: this runs on a throwaway cluster, never on a server holding real data.
"""

from __future__ import annotations

import json
import os
import sys

YEAR = 2020  # 94 communes, simulated values, QĐ 1980/2016: an ordinary year of data entry
CODE = "14.2"  # a percentage: any integer 0-100 is a valid value
COMMUNES = 30  # 40 officers on 30 communes: some of them meet on one cell (409s, as in life)
PASSWORD = "tai-thu-ntm-2020"
OFFICES = ("vanphong.laichau", "huyen.tplaichau")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm.settings")
    import django

    django.setup()
    from ntm.accounts.demo import DEMO_ACCOUNTS
    from ntm.accounts.models import Role
    from ntm.accounts.services import user_create
    from ntm.api.tokens import token_issue
    from ntm.audit.models import Origin
    from ntm.entry.selectors import entry_scope
    from ntm.units.models import Unit
    from ntm.units.selectors import communes_in_year

    province = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    communes = []
    for unit in communes_in_year(unit=province, year=YEAR).order_by("code"):
        if len(communes) == COMMUNES:
            break
        username = f"tai.xa.{unit.code}"
        user = user_create(
            actor=None,
            username=username,
            password=PASSWORD,
            role=Role.COMMUNE,
            unit=unit,
            origin=Origin.CLI,
            origin_detail="make load",
        )
        scope = entry_scope(user=user, unit=unit, year=YEAR)
        if scope.locked or scope.criterion_of(CODE) not in scope.editable:
            continue  # a commune-year under a dossier is read-only: not a place to save
        communes.append(
            {
                "id": unit.pk,
                "code": unit.code,
                "username": username,
                "token": token_issue(user=user),
            }
        )
    passwords = {a.username: a.password for a in DEMO_ACCOUNTS}
    offices = []
    for username in OFFICES:
        from ntm.accounts.models import Membership

        root = Membership.objects.select_related("unit").get(user__username=username).unit
        assert root is not None
        under = communes_in_year(unit=root, year=YEAR).order_by("code")
        offices.append(
            {
                "username": username,
                "password": passwords[username],
                "unit_id": root.pk,
                "unit_code": root.code,
                "communes": [{"id": u.pk, "code": u.code} for u in under],
            }
        )
    plan = {"year": YEAR, "code": CODE, "password": PASSWORD, "communes": communes}
    plan["offices"] = offices
    print(json.dumps(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
