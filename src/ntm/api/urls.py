from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ntm.api import criteria, dhis2, dossiers, resources, results, units, values

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
    path("api/v1/classes/", criteria.CommuneClasses.as_view(), name="api_classes"),
    path("api/v1/values/", values.Values.as_view(), name="api_values"),
    # DHIS2 spells it without a trailing slash; its clients post there.
    path("api/v1/dataValueSets", dhis2.DataValueSets.as_view(), name="api_data_value_sets"),
    path("api/v1/evaluations/", results.Evaluations.as_view(), name="api_evaluations"),
    path("api/v1/dossiers/", dossiers.DossierList.as_view(), name="api_dossiers"),
    path("api/v1/dossiers/<int:dossier_id>/", dossiers.DossierDetail.as_view(), name="api_dossier"),
    path(
        "api/v1/dossiers/<int:dossier_id>/advance/",
        dossiers.DossierAdvance.as_view(),
        name="api_dossier_advance",
    ),
    path(
        "api/v1/dossiers/<int:dossier_id>/return/",
        dossiers.DossierReturn.as_view(),
        name="api_dossier_return",
    ),
    path(
        "api/v1/dossiers/<int:dossier_id>/appraise/",
        dossiers.DossierAppraise.as_view(),
        name="api_dossier_appraise",
    ),
    path(
        "api/v1/dossiers/<int:dossier_id>/recognise/",
        dossiers.DossierRecognise.as_view(),
        name="api_dossier_recognise",
    ),
    path(
        "api/v1/dossiers/<int:dossier_id>/revoke/",
        dossiers.DossierRevoke.as_view(),
        name="api_dossier_revoke",
    ),
    path("api/v1/capital/", resources.CapitalList.as_view(), name="api_capital"),
    path("api/v1/contributions/", resources.ContributionList.as_view(), name="api_contributions"),
    path("api/v1/programs/courses/", resources.CourseList.as_view(), name="api_courses"),
    path(
        "api/v1/programs/communications/",
        resources.CommunicationList.as_view(),
        name="api_communications",
    ),
    path("api/v1/programs/ocop/", resources.OcopList.as_view(), name="api_ocop"),
    path(
        "api/v1/programs/production-models/",
        resources.ProductionModelList.as_view(),
        name="api_production_models",
    ),
    path("api/v1/targets/", resources.TargetList.as_view(), name="api_targets"),
]
