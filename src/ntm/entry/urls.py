from django.urls import path

from ntm.entry import views

urlpatterns = [
    path("xa/<int:unit_id>/<year:year>/nhap/", views.commune_entry, name="entry_commune"),
    path("thon/<int:unit_id>/<year:year>/nhap/", views.village_entry, name="entry_village"),
    path("so-lieu/<int:unit_id>/<year:year>/kiem-tra/", views.entry_check, name="entry_check"),
    path("so-lieu/<int:unit_id>/<year:year>/<str:code>/", views.value_cell, name="value_cell"),
    path(
        "so-lieu/<int:unit_id>/<year:year>/<str:code>/minh-chung/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "so-lieu/<int:unit_id>/<year:year>/<str:code>/y-kien/",
        views.comment_create,
        name="comment_create",
    ),
    path("minh-chung/<int:file_id>/", views.evidence_download, name="evidence_download"),
    path("minh-chung/<int:file_id>/xoa/", views.evidence_remove, name="evidence_remove"),
]
