from django.urls import path

from ntm.finance import views

urlpatterns = [
    path("nguon-luc/<int:unit_id>/von/", views.capital_page, name="finance_capital"),
    path("nguon-luc/<int:unit_id>/von/nhap/", views.capital_entry_page, name="finance_capital_add"),
    path(
        "nguon-luc/<int:unit_id>/dong-gop/",
        views.contributions_page,
        name="finance_contributions",
    ),
    path(
        "nguon-luc/<int:unit_id>/dong-gop/nhap/",
        views.contribution_entry_page,
        name="finance_contribution_add",
    ),
    path(
        "nguon-luc/<int:unit_id>/nhap-tep/<str:kind>/",
        views.records_upload_page,
        name="finance_upload",
    ),
]
