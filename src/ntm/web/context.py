from typing import Any

from django.http import HttpRequest

from ntm.criteria.models import ProvincialSpec


def demo_notice(request: HttpRequest) -> dict[str, Any]:
    """Every page says so when illustrative (simulated) data is loaded."""
    return {"demo_data": ProvincialSpec.objects.filter(illustrative=True).exists()}
