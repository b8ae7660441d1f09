"""One of the parallel clients of tests/indicators/test_parallel_saves.py, in its own process.

`python -m tests.parallel_client PLAN.json INDEX` logs in as the plan's user, waits until
every client is ready, then saves its cells through the entry form (the view, the one value
writer, the re-evaluation), reading each cell's stored version just before saving it, as the
form would show it. It prints one JSON line: the status code of every save, in order.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    mine = plan["clients"][int(sys.argv[2])]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from ntm.indicators.models import IndicatorValue

    client = Client()
    client.force_login(get_user_model().objects.get(username=mine["username"]))
    url = f"/xa/{mine['unit_id']}/{plan['year']}/nhap/"
    code = mine["code"]
    # The barrier: each client says it is ready, then waits for all the others.
    folder = Path(sys.argv[1]).parent
    (folder / f"ready-{sys.argv[2]}").touch()
    deadline = time.monotonic() + 120  # a client that never comes must not hang the suite
    while len(list(folder.glob("ready-*"))) < len(plan["clients"]):
        if time.monotonic() > deadline:
            print("không đủ các máy khách sẵn sàng sau 120 giây", file=sys.stderr)
            return 3
        time.sleep(0.01)
    statuses = []
    for value in mine["values"]:
        stored = IndicatorValue.objects.filter(
            unit_id=mine["unit_id"], year=plan["year"], indicator=code
        ).first()
        opened = {
            f"orig-{code}": "" if stored is None else f"{stored.value:g}",
            f"ver-{code}": "" if stored is None else str(stored.version),
        }
        response = client.post(url, {**opened, f"val-{code}": str(value)})
        statuses.append(response.status_code)
    print(json.dumps({"statuses": statuses}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
