from django.urls import path

from tellonce.insight import plan_views, sen2_views, views

app_name = "insight"
urlpatterns = [
    path("scorecard/", views.scorecard_page, name="scorecard"),
    path("scorecard.csv", views.scorecard_csv, name="scorecard_csv"),
    path("scorecard.pdf", views.scorecard_pdf, name="scorecard_pdf"),
    path("scorecard/publish/", views.publish, name="publish"),
    path("scorecard/published/", views.published, name="published"),
    path("scorecard/imports/", views.imports_page, name="imports"),
    path("scorecard/imports/<slug:source>-template.csv", views.import_template,
         name="import_template"),
    path("scorecard/<slug:key>/", views.indicator_page, name="indicator"),
    path("sen2/", sen2_views.sen2_page, name="sen2"),
    path("sen2.xml", sen2_views.sen2_xml, name="sen2_xml"),
    path("action-plan/", plan_views.plan_page, name="plan"),
    path("action-plan/actions/<int:action_id>/", plan_views.action_page, name="action"),
    path("action-plan/board/", plan_views.board_page, name="board"),
    path("action-plan/board/record/", plan_views.board_record, name="board_record"),
    path("action-plan/board.pdf", plan_views.board_pdf, name="board_pdf"),
]
