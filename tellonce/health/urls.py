from django.urls import path

from tellonce.health import views

app_name = "health"
urlpatterns = [
    path("children/<uuid:child_id>/referrals/", views.family_referrals, name="family_referrals"),
    path("children/<uuid:child_id>/referrals/new/", views.refer, name="refer"),
    path(
        "children/<uuid:child_id>/referrals/<int:referral_id>/",
        views.family_referral,
        name="family_referral",
    ),
    path("referrals/", views.worklist, name="worklist"),
    path("referrals/new/", views.new_referral, name="new_referral"),
    path("referrals/import/", views.import_referrals, name="import"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral"),
    *[
        path(f"referrals/<int:referral_id>/{slug}/", view, name=f"change_{slug}")
        for slug, view in views.change_views.items()
    ],
    path("waiting-times/", views.analysis, name="analysis"),
    path("waiting-times.csv", views.analysis_csv, name="analysis_csv"),
    path("waiting-times/capacity/", views.capacity, name="capacity"),
]
