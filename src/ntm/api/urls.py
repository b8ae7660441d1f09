from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ntm.api import criteria, results, units, values

urlpatterns = [
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/v1/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema"),
        name="api_docs",
    ),
    path("api/v1/units/", units.UnitList.as_view(), name="api_units"),
    path("api/v1/units/<str:code>/", units.UnitDetail.as_view(), name="api_unit"),
    path("api/v1/units/<str:code>/summary/", units.UnitSummary.as_view(), name="api_unit_summary"),
    path("api/v1/units/<str:code>/gap/", units.UnitGap.as_view(), name="api_unit_gap"),
    path(
        "api/v1/units/<str:code>/forecast/", units.UnitForecast.as_view(), name="api_unit_forecast"
    ),
    path("api/v1/criteria-sets/", criteria.CriteriaSetList.as_view(), name="api_criteria_sets"),
    path(
        "api/v1/criteria-sets/<str:set_id>/",
        criteria.CriteriaSetDetail.as_view(),
        name="api_criteria_set",
    ),
    path("api/v1/values/", values.Values.as_view(), name="api_values"),
    path("api/v1/evaluations/", results.Evaluations.as_view(), name="api_evaluations"),
]
