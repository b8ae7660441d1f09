"""What the criteria app announces after a rule changes, so that the verdicts follow.

The criteria app sits below the indicators app (which judges values by these rules), so it
cannot call the re-evaluation itself: it announces the change, and ntm.indicators.receivers
re-evaluates the commune-years it touches, in the sender's transaction (receivers run
synchronously). Nobody listening means stale verdicts: ``announce`` refuses that loudly.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# A province's specification was saved. Arguments: province_code.
spec_saved = Signal()
# Communes' classes under a set were written. Arguments: units, set_id.
classes_saved = Signal()
# A criteria set was stored (imported or replaced). Arguments: set_id.
set_saved = Signal()
# A set is to be stored by the task worker, then re-evaluated in the same transaction.
# Arguments: set_id, arguments (criteria_set_record_save's), actor.
set_save_requested = Signal()


def announce(signal: Signal, **arguments: Any) -> None:
    if not signal.send(sender=None, **arguments):
        raise ImproperlyConfigured("Không có ứng dụng nào đánh giá lại sau khi tiêu chí thay đổi")
