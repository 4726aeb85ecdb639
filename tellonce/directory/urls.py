"""The public local offer under /local-offer/; editors' and providers' pages under
/manage-local-offer/ (outside the second-factor exemption that /local-offer/ has)."""

from django.urls import path

from tellonce.directory import views

app_name = "directory"
urlpatterns = [
    path("local-offer/", views.search, name="search"),
    path("local-offer/services/<uuid:service_id>/", views.service_page, name="service"),
    path("local-offer/services/<uuid:service_id>/feedback/", views.service_feedback,
         name="service_feedback"),
    path("local-offer/feedback/", views.feedback, name="feedback"),
    path("local-offer/feedback/sent/", views.feedback_sent, name="feedback_sent"),
    path("local-offer/you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("local-offer/changes/", views.recent_changes, name="changes"),
    path("local-offer/local-offer.csv", views.export_csv, name="export_csv"),
    path("manage-local-offer/", views.manage, name="manage"),
    path("manage-local-offer/services/new/", views.create_service, name="create"),
    path("manage-local-offer/services/<uuid:service_id>/edit/", views.edit_service, name="edit"),
    path("manage-local-offer/services/<uuid:service_id>/review/", views.review_service,
         name="review"),
    path("manage-local-offer/services/<uuid:service_id>/retire/", views.retire_service,
         name="retire"),
    path("manage-local-offer/feedback/", views.feedback_list, name="feedback_list"),
    path("manage-local-offer/feedback/<int:feedback_id>/", views.respond, name="respond"),
    path("manage-local-offer/import/", views.import_services, name="import"),
]
