from django.urls import path

from tellonce.api import views

app_name = "api_tokens"
urlpatterns = [
    path("account/api-tokens/", views.tokens, name="list"),
    path("account/api-tokens/<int:token_id>/revoke/", views.revoke, name="revoke"),
]
