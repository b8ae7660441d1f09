from django.contrib.auth import views as auth_views
from django.urls import include, path

from ntm.accounts import views

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("nguoi-dung/", views.users, name="users"),
    path("nguoi-dung/them/", views.user_new, name="user_new"),
    path("nguoi-dung/<int:user_id>/", views.user_edit, name="user_edit"),
    path("nguoi-dung/<int:user_id>/mat-khau/", views.user_password, name="user_password"),
    path("nguoi-dung/<int:user_id>/trang-thai/", views.user_active, name="user_active"),
    path("nguoi-dung/<int:user_id>/mo-khoa/", views.user_unlock_view, name="user_unlock"),
    path("nguoi-dung/<int:user_id>/don-vi-ke-thua/", views.user_successor, name="user_successor"),
    path("i18n/", include("django.conf.urls.i18n")),
]
