"""Labels that are defined in code no translation reaches, marked here for makemessages.

The unit levels are ntm.units' choice labels; pages translate them when they show them
({% translate unit.get_level_display %}), so the Vietnamese page shows the label itself.
"""

from django.utils.translation import gettext_noop

UNIT_LEVELS = (
    gettext_noop("Cấp tỉnh"),
    gettext_noop("Cấp huyện"),
    gettext_noop("Cấp xã"),
    gettext_noop("Thôn, bản"),
)
