from django.urls import path

from . import views
from .apps import DEFAULT_STAGE_PAGES

app_name = "workflow"

urlpatterns = [
    path("flow/intake/", views.intake, name="intake"),
    *[
        path(f"flow/team/{code}/", views.team, {"code": code}, name=f"team-{code}")
        for code, _label, _order in DEFAULT_STAGE_PAGES
    ],
    path("flow/team/<slug:code>/", views.team, name="team"),
    path("flow/cases/<int:case_id>/matters/", views.matters, name="matters"),
    path("flow/cases/<int:case_id>/flow/", views.flow, name="flow"),
    path("flow/cases/<int:case_id>/reassign/", views.reassign, name="reassign"),
    path("flow/cases/<int:case_id>/property/", views.property_register, name="property"),
    path("flow/cases/<int:case_id>/funds/", views.funds, name="funds"),
    path("flow/cases/<int:case_id>/tasks/new/", views.task_new, name="task-new"),
    path("flow/matters/<int:matter_id>/", views.matter_edit, name="matter-edit"),
    path("flow/matters/<int:matter_id>/lift/", views.matter_lift, name="matter-lift"),
    path("flow/property/<int:property_id>/control/", views.property_control, name="property-control"),
    path("flow/funds/<int:entry_id>/pay/", views.fund_pay, name="fund-pay"),
    path("flow/tasks/", views.tasks, name="tasks"),
    path("flow/tasks/<int:task_id>/", views.task_detail, name="task-detail"),
    path("flow/photos/<int:photo_id>/", views.photo, name="photo"),
    path("flow/search/", views.search, name="search"),
    path("flow/search/export.csv", views.search_export, name="search-export"),
    path("flow/stats/", views.stats, name="stats"),
    path("flow/notices/", views.notices, name="notices"),
    path("flow/calendar/", views.calendar, name="calendar"),
    path("flow/calendar/<int:override_id>/delete/", views.calendar_delete, name="calendar-delete"),
]
