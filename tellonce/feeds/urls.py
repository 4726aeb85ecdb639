from django.urls import path

from tellonce.feeds import views

app_name = "feeds"
urlpatterns = [
    path("feeds/", views.deliveries, name="deliveries"),
    path("feeds/new/", views.upload, name="upload"),
    path("feeds/<int:delivery_id>/", views.delivery, name="delivery"),
]
