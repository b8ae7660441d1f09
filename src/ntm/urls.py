from django.urls import include, path

urlpatterns = [
    path("", include("ntm.accounts.urls")),
    path("", include("ntm.entry.urls")),
    path("", include("ntm.workflow.urls")),
    path("", include("ntm.audit.urls")),
    path("", include("ntm.exchange.urls")),
    path("", include("ntm.criteria.urls")),
    path("", include("ntm.finance.urls")),
    path("", include("ntm.programs.urls")),
    path("", include("ntm.web.urls")),
]
