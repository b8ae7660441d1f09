"""Rule changes reach the verdicts: the indicators app answers every announcement, and an
announcement nobody answers is refused rather than leaving stale verdicts."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

from ntm.criteria.signals import (
    announce,
    classes_saved,
    set_save_requested,
    set_saved,
    spec_saved,
)


@pytest.mark.parametrize("signal", [spec_saved, classes_saved, set_saved, set_save_requested])
def test_the_indicators_app_answers_every_change(signal):
    assert signal.has_listeners()


def test_it_refuses_a_change_nobody_reevaluates():
    with pytest.raises(ImproperlyConfigured):
        announce(Signal(), set_id="qd51-2025")
