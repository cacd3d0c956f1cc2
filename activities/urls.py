from django.urls import path

from .views import complexity, coverage, overview, plan, register, understanding

P = "programmes/<slug:slug>/"
ACTIVITY = P + "plan/<int:activity_id>/"
KNOWLEDGE = P + "local-knowledge/<int:entry_id>/"

urlpatterns = [
    path("activity-areas/", overview.activity_areas, name="activity_areas"),
    path(P, overview.programme_overview, name="programme_overview"),
    path(P + "understanding/edit/", understanding.understanding_edit, name="understanding_edit"),
    path(
        P + "understanding/history/",
        understanding.understanding_history,
        name="understanding_history",
    ),
    path(P + "complexity/", complexity.complexity, name="complexity"),
    path(P + "complexity/new/", complexity.complexity_assess, name="complexity_assess"),
    path(P + "plan/", plan.plan, name="plan"),
    path(P + "plan/new/", plan.activity_create, name="activity_create"),
    path(P + "plan/export.<str:fmt>", plan.plan_export, name="plan_export"),
    path(ACTIVITY, plan.activity_detail, name="activity_detail"),
    path(ACTIVITY + "edit/", plan.activity_edit, name="activity_edit"),
    path(ACTIVITY + "status/", plan.activity_status, name="activity_status"),
    path(ACTIVITY + "actions/", plan.activity_link_action, name="activity_link_action"),
    path(
        ACTIVITY + "actions/<int:action_id>/unlink/",
        plan.activity_unlink_action,
        name="activity_unlink_action",
    ),
    path(P + "coverage/", coverage.coverage, name="coverage"),
    path(P + "coverage/export.<str:fmt>", coverage.coverage_export, name="coverage_export"),
    path(P + "coverage/<int:area_number>/", coverage.coverage_area, name="coverage_area"),
    path(P + "local-knowledge/", register.knowledge_list, name="knowledge_list"),
    path(P + "local-knowledge/new/", register.knowledge_create, name="knowledge_create"),
    path(
        P + "local-knowledge/export.<str:fmt>", register.knowledge_export, name="knowledge_export"
    ),
    path(KNOWLEDGE + "edit/", register.knowledge_edit, name="knowledge_edit"),
    path(KNOWLEDGE + "close/", register.knowledge_close, name="knowledge_close"),
    path(KNOWLEDGE + "reopen/", register.knowledge_reopen, name="knowledge_reopen"),
]
