from django.urls import path

from ntm.web import audit_views, list_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<int:unit_id>/<year:year>/", views.unit_overview, name="unit"),
    path(
        "don-vi/<int:unit_id>/<year:year>/cac-xa/", list_views.unit_communes, name="unit_communes"
    ),
    path("xa/<int:unit_id>/<year:year>/", views.commune_page, name="commune"),
    path("tim-don-vi/", views.unit_search_page, name="unit_search"),
    path("bo-tieu-chi/", views.criteria_sets, name="criteria_sets"),
    path("bo-tieu-chi/<str:set_id>/", views.criteria_set_page, name="criteria_set"),
    path("nhat-ky/", audit_views.audit_list, name="audit_list"),
]
