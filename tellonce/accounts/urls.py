from django.urls import path

from tellonce.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/one-login/", views.one_login_start, name="one_login"),
    path("sign-in/one-login/callback/", views.one_login_callback, name="one_login_callback"),
    path("sign-in/organisation/", views.staff_start, name="staff_sso"),
    path("sign-in/organisation/callback/", views.staff_callback, name="staff_callback"),
    path("sign-in/organisation/not-recognised/", views.not_recognised, name="not_recognised"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
