from django.urls import path

from ntm.web import audit_views, dashboard_views, list_views, public_views, pwa, views

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<int:unit_id>/<year:year>/", views.unit_overview, name="unit"),
    path(
        "don-vi/<int:unit_id>/<year:year>/cac-xa/", list_views.unit_communes, name="unit_communes"
    ),
    path(
        "don-vi/<int:unit_id>/<year:year>/tieu-chi/<str:code>/",
        dashboard_views.unit_criterion,
        name="unit_criterion",
    ),
    path("tieu-chi-nganh/", dashboard_views.department_criteria, name="department_criteria"),
    path("toan-quoc/", dashboard_views.national_latest, name="national_latest"),
    path("toan-quoc/<year:year>/", dashboard_views.national, name="national"),
    path("xa/<int:unit_id>/<year:year>/", views.commune_page, name="commune"),
    path("tim-don-vi/", views.unit_search_page, name="unit_search"),
    path("bo-tieu-chi/", views.criteria_sets, name="criteria_sets"),
    path("bo-tieu-chi/<str:set_id>/", views.criteria_set_page, name="criteria_set"),
    path("nhat-ky/", audit_views.audit_list, name="audit_list"),
    path("cong-khai/", public_views.public_index, name="public_index"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.web_manifest, name="web_manifest"),
    path(
        "cong-khai/<int:unit_id>/<year:year>/",
        public_views.public_province,
        name="public_province",
    ),
]
