"""What the units app announces after the registry changes, so that the verdicts follow.

The units app sits below the indicators app: ntm.indicators.receivers re-evaluates the communes
an administrative change touched, in the sender's transaction.
"""

from __future__ import annotations

from django.dispatch import Signal

# The registry load added events or units. Arguments: unit_ids (the units touched).
units_loaded = Signal()
