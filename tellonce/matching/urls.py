from django.urls import path

from tellonce.matching import views

app_name = "matching"
urlpatterns = [
    path("matching/reviews/", views.queue, name="queue"),
    path("matching/reviews/<int:review_id>/", views.review, name="review"),
    path("matching/links/<int:link_id>/unlink/", views.unlink, name="unlink"),
    path("children/<uuid:child_id>/agency-records/", views.agency_records,
         name="agency_records"),
]
