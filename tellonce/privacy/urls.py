from django.urls import path

from tellonce.privacy import views

app_name = "privacy"
urlpatterns = [
    path("children/<uuid:child_id>/your-information/", views.your_information,
         name="your_information"),
    path("children/<uuid:child_id>/your-information/copy.pdf", views.copy_pdf, name="copy_pdf"),
    path("children/<uuid:child_id>/your-information/copy.json", views.copy_json,
         name="copy_json"),
]
