from django.urls import path

from ntm.workflow import views

urlpatterns = [
    path("viec-can-lam/", views.todo, name="todo"),
    path("ho-so/<int:dossier_id>/", views.dossier_detail, name="dossier"),
    path("ho-so/<int:dossier_id>/chuyen-buoc/", views.dossier_advance, name="dossier_advance"),
    path("ho-so/<int:dossier_id>/tra-lai/", views.dossier_return, name="dossier_return"),
    path("ho-so/<int:dossier_id>/tham-dinh/", views.dossier_appraise, name="dossier_appraise"),
    path("ho-so/<int:dossier_id>/quyet-dinh/", views.dossier_recognise, name="dossier_recognise"),
    path("ho-so/<int:dossier_id>/thu-hoi/", views.dossier_revoke, name="dossier_revoke"),
    path("don-vi/<int:unit_id>/ho-so/", views.unit_dossiers, name="unit_dossiers"),
    path("xa/<int:unit_id>/<year:year>/ho-so/mo/", views.dossier_open, name="dossier_open"),
]
