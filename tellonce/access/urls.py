from django.urls import path

from tellonce.access import views

app_name = "access"
urlpatterns = [
    path("children/<uuid:child_id>/consent/", views.consent, name="consent"),
    path("children/<uuid:child_id>/who-has-looked/", views.who_has_looked, name="who_has_looked"),
    path("children/<uuid:child_id>/parents/", views.parent_access, name="parent_access"),
]
