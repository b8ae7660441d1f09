"""Every service that changes data calls audit_record inside its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from ntm.audit.client import client_address
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
    address: str | None = None,
    actor_name: str | None = None,
) -> AuditEvent:
    """One audit row. `address`: the client's address for a request (ntm.audit.client);
    `actor_name`: who to name when nobody is logged in (default "hệ thống")."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    name = actor.get_username() if authenticated else actor_name or "hệ thống"
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_name=_fitted("actor_name", name),
        action=action,
        object_type=object_type,
        object_id=_fitted("object_id", str(object_id)),
        unit=unit,
        year=year,
        before=before,
        after=after,
        origin=origin,
        origin_detail=_fitted("origin_detail", origin_detail),
        address=address or None,
    )


def _fitted(field: str, text: str) -> str:
    """Text cut to its column (PostgreSQL refuses longer text; the audit row must be written
    whatever a visitor typed, e.g. a 5,000-character login name), marked with "…" when cut."""
    column = AuditEvent._meta.get_field(field)
    assert isinstance(column, models.CharField)  # not a relation: get_field may return those
    limit = column.max_length or len(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_request(request: Any, **fields: Any) -> AuditEvent:
    """audit_record for something a page did: the logged-in user, the page's path, the
    client's address."""
    fields.setdefault("actor", getattr(request, "user", None))
    fields.setdefault("origin", Origin.PAGE)
    fields.setdefault("origin_detail", request.path)
    fields.setdefault("address", client_address(request))
    return audit_record(**fields)
