from django.urls import path

from ntm.exchange import views

urlpatterns = [
    path(
        "don-vi/<int:unit_id>/<year:year>/bieu-mau/",
        views.template_download,
        name="exchange_template",
    ),
    path("don-vi/<int:unit_id>/xuat/", views.export_page, name="exchange_export"),
    path("nhap-tep/", views.import_upload, name="exchange_import"),
    path("nhap-tep/<uuid:job_id>/", views.import_job, name="exchange_job"),
    path("nhap-tep/<uuid:job_id>/trang-thai/", views.import_job_status, name="exchange_job_status"),
    path("nhap-tep/<uuid:job_id>/ghi/", views.import_job_commit, name="exchange_job_commit"),
    path(
        "nhap-tep/<uuid:job_id>/kiem-tra-lai/",
        views.import_job_recheck,
        name="exchange_job_recheck",
    ),
    path("nhap-tep/<uuid:job_id>/tep-loi/", views.import_job_errors, name="exchange_job_errors"),
    path("nhap-tep/<uuid:job_id>/doi-chieu/", views.import_job_diff, name="exchange_job_diff"),
]
