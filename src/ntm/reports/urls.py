from django.urls import path

from ntm.reports import views

urlpatterns = [
    path("don-vi/<int:unit_id>/<year:year>/bao-cao/", views.report_new, name="report_new"),
    path("bao-cao/<uuid:job_id>/", views.report_job, name="report_job"),
    path("bao-cao/<uuid:job_id>/tai/", views.report_download, name="report_download"),
]
