"""Every service that changes data calls audit_record inside its own transaction."""

from __future__ import annotations

from typing import Any

from ntm.audit.models import AuditEvent, Origin


def audit_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: Any = "",
    unit: Any = None,
    year: int | None = None,
    before: Any = None,
    after: Any = None,
    origin: str = Origin.PAGE,
    origin_detail: str = "",
) -> AuditEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "hệ thống",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        unit=unit,
        year=year,
        before=before,
        after=after,
        origin=origin,
        origin_detail=origin_detail[:300],
    )
