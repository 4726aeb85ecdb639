from django.urls import path

from tellonce.invitations import views

app_name = "invitations"
urlpatterns = [
    path("children/<uuid:child_id>/invitations/", views.child_invitations, name="child"),
    path(
        "children/<uuid:child_id>/invitations/<uuid:invitation_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path("invitations/confirm/", views.confirm, name="confirm"),
    path("invitations/<str:token>/", views.open_link, name="open"),
]
