from django.urls import path

from tellonce.notify import views

app_name = "notify"
urlpatterns = [path("messages/", views.outbox, name="outbox")]
