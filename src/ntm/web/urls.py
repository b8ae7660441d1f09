from django.urls import path

from ntm.web import audit_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<int:unit_id>/<year:year>/", views.unit_overview, name="unit"),
    path("xa/<int:unit_id>/<year:year>/", views.commune_page, name="commune"),
    path("tim-don-vi/", views.unit_search_page, name="unit_search"),
    path("bo-tieu-chi/", views.criteria_sets, name="criteria_sets"),
    path("bo-tieu-chi/<str:set_id>/", views.criteria_set_page, name="criteria_set"),
    path("nhat-ky/", audit_views.audit_list, name="audit_list"),
]
