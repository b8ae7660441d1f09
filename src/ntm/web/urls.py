from django.contrib.auth import views as auth_views
from django.urls import path

from ntm.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("don-vi/<int:unit_id>/<int:year>/", views.unit_overview, name="unit"),
    path("xa/<int:unit_id>/<int:year>/", views.commune_page, name="commune"),
    path("bo-tieu-chi/", views.criteria_sets, name="criteria_sets"),
    path("bo-tieu-chi/<str:set_id>/", views.criteria_set_page, name="criteria_set"),
]
