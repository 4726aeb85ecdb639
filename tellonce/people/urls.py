from django.urls import path

from tellonce.people import views

app_name = "people"
urlpatterns = [
    path("children/", views.children, name="children"),
    path("children/<uuid:child_id>/", views.child_record, name="child"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:org_id>/staff/", views.organisation_staff, name="organisation_staff"),
    path(
        "organisations/<int:org_id>/staff/changes/",
        views.organisation_role_changes,
        name="organisation_role_changes",
    ),
    path(
        "organisations/<int:org_id>/staff/<int:membership_id>/end/",
        views.end_membership,
        name="end_membership",
    ),
    path(
        "organisations/<int:org_id>/involvements/",
        views.organisation_involvements,
        name="organisation_involvements",
    ),
    path(
        "organisations/<int:org_id>/involvements/<int:involvement_id>/end/",
        views.end_involvement,
        name="end_involvement",
    ),
]
