from django.urls import path

from tellonce.profile import views

app_name = "profile"
urlpatterns = [
    path("children/<uuid:child_id>/about-me/", views.about_me, name="about_me"),
    path("children/<uuid:child_id>/about-me/edit/", views.edit_about_me, name="edit"),
    path("children/<uuid:child_id>/about-me/history/", views.history, name="history"),
    path(
        "children/<uuid:child_id>/about-me/versions/<int:number>/",
        views.version,
        name="version",
    ),
]
