from typing import Any

from django.http import HttpRequest

from ntm.criteria.models import ProvincialSpec
from ntm.indicators.selectors import reevaluation_pending


def demo_notice(request: HttpRequest) -> dict[str, Any]:
    """Every page says so when illustrative (simulated) data is loaded."""
    return {"demo_data": ProvincialSpec.objects.filter(illustrative=True).exists()}


def reevaluation_notice(request: HttpRequest) -> dict[str, Any]:
    """While a national re-evaluation is pending, every page says that the figures shown are
    those from before the change (the run commits all new verdicts at once); one query."""
    run = reevaluation_pending()
    return {
        "reevaluation_since": (run.started_at or run.created_at) if run else None,
        "reevaluation_failed": run is not None and run.status == run.Status.FAILED,
    }
