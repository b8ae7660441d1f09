from django.urls import path

from ntm.finance import money_views, views

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
        "don-vi/<int:unit_id>/<year:year>/von-bieu-do/<slug:chart>.csv",
        money_views.unit_money_csv,
        name="finance_unit_money_csv",
    ),
    path(
        "don-vi/<int:unit_id>/<year:year>/von-va-ket-qua/",
        money_views.money_results_page,
        name="finance_money_results",
    ),
    path(
        "nguon-luc/<int:unit_id>/nhap-tep/<str:kind>/",
        views.records_upload_page,
        name="finance_upload",
    ),
]
