from django.urls import include, path, register_converter

from ntm.converters import YearConverter

# Before the apps' URLs load: they use <year:year>.
register_converter(YearConverter, "year")

urlpatterns = [
    path("", include("ntm.accounts.urls")),
    path("", include("ntm.entry.urls")),
    path("", include("ntm.workflow.urls")),
    path("", include("ntm.exchange.urls")),
    path("", include("ntm.criteria.urls")),
    path("", include("ntm.finance.urls")),
    path("", include("ntm.programs.urls")),
    path("", include("ntm.reports.urls")),
    path("", include("ntm.api.urls")),
    path("", include("ntm.web.urls")),
]
