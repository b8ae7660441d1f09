from django.urls import include, path

urlpatterns = [
    path("", include("ntm.web.urls")),
]
