from django.urls import path

from tellonce.ehc import views

app_name = "ehc"
urlpatterns = [
    path("children/<uuid:child_id>/ehc/", views.timeline, name="timeline"),
    path("children/<uuid:child_id>/ehc/request/", views.request_assessment, name="request"),
    path("ehc/worklist/", views.worklist, name="worklist"),
    path("ehc/worklist.csv", views.worklist_csv, name="worklist_csv"),
    path("ehc/asked-of-me/", views.my_requests, name="my_requests"),
    path("ehc/evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path("ehc/requests/<int:request_id>/decision/", views.decide_assessment,
         name="decide_assessment"),
    path("ehc/requests/<int:request_id>/plan-decision/", views.decide_plan, name="decide_plan"),
    path("ehc/requests/<int:request_id>/draft/", views.draft, name="draft"),
    path("ehc/requests/<int:request_id>/final/", views.final, name="final"),
    path("ehc/plans/<int:plan_id>/consult/", views.consult, name="consult"),
    path("ehc/plans/<int:plan_id>/eotas/", views.eotas, name="eotas"),
    path("ehc/plans/<int:plan_id>/personal-budgets/", views.personal_budgets,
         name="personal_budgets"),
    path("ehc/personal-budgets/<int:budget_id>/", views.personal_budget, name="personal_budget"),
    path("ehc/plans/<int:plan_id>/eotas-packages/", views.eotas_packages, name="eotas_packages"),
    path("ehc/eotas-packages/<int:package_id>/", views.eotas_package, name="eotas_package"),
    path("ehc/consultations/<int:consultation_id>/", views.consultation_reply,
         name="consultation_reply"),
    path("ehc/advice/<int:advice_id>/", views.give_advice, name="advice"),
    path("ehc/sign-offs/<int:sign_off_id>/", views.sign_off, name="sign_off"),
    path("ehc/versions/<int:version_id>/", views.plan_version, name="version"),
    path("ehc/versions/<int:version_id>/plan.pdf", views.plan_pdf, name="pdf"),
    path("ehc/versions/<int:version_id>/comment/", views.comment, name="comment"),
    path("ehc/reviews/<int:review_id>/", views.review, name="review"),
    path("ehc/steps/<int:step_id>/exception/", views.record_exception, name="exception"),
    path("ehc/decisions/<int:decision_id>/appeal/", views.appeal, name="appeal"),
]
