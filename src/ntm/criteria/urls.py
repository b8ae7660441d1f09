from django.urls import path

from ntm.criteria import classes_views, views

# Before ntm.web.urls: "bo-tieu-chi/nhap/" would otherwise be read as a set id.
urlpatterns = [
    path("bo-tieu-chi/nhap/", views.import_page, name="criteria_import"),
    path("bo-tieu-chi/<str:export_id>/xlsx/", views.export_workbook, name="criteria_export"),
    path(
        "bo-tieu-chi/<str:set_id>/phan-loai/",
        classes_views.classes_index,
        name="criteria_classes_index",
    ),
    path(
        "bo-tieu-chi/<str:set_id>/phan-loai/<int:unit_id>/",
        classes_views.classes_page,
        name="criteria_classes",
    ),
]
