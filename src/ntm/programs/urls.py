from django.urls import path

from ntm.programs import views

urlpatterns = [
    path("don-vi/<int:unit_id>/dao-tao/", views.training, name="programs_training"),
    path("don-vi/<int:unit_id>/san-xuat/", views.production, name="programs_production"),
    path("don-vi/<int:unit_id>/to-chuc/", views.organisation, name="programs_organisation"),
    path("don-vi/<int:unit_id>/muc-tieu/", views.targets, name="programs_targets"),
    path(
        "don-vi/<int:unit_id>/chuong-trinh/them/<slug:kind>/",
        views.record_create,
        name="programs_create",
    ),
    path(
        "don-vi/<int:unit_id>/chuong-trinh/nhap-tep/<slug:kind>/",
        views.records_upload,
        name="programs_upload",
    ),
]
