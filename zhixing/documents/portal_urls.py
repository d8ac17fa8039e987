"""All document pages live in one namespace ("documents"): the workbench pages under /workbench/documents/
(the workbench include falls through to these), the portal pages at /service/documents/, /documents/styles/
and the public /verify/ page."""

from django.urls import path

from . import views

app_name = "documents"

W = "workbench/documents/"

urlpatterns = [
    path(f"{W}matter/<int:matter_id>/", views.matter_page, name="matter"),
    path(f"{W}matter/<int:matter_id>/panel/", views.matter_panel, name="matter-panel"),
    path(f"{W}matter/<int:matter_id>/action/", views.matter_action, name="matter-action"),
    path(f"{W}matter/<int:matter_id>/make/", views.make, name="make"),
    path(f"{W}matter/<int:matter_id>/sheet/", views.sheet, name="sheet"),
    path(f"{W}doc/<int:pk>/", views.document_detail, name="document"),
    path(f"{W}doc/<int:pk>/status/", views.job_status, name="job-status"),
    path(f"{W}doc/<int:pk>/file/<str:kind>/", views.document_file, name="file"),
    path(f"{W}doc/<int:pk>/page/<str:kind>/<int:n>.png", views.document_page, name="page"),
    path(f"{W}efile/<int:pk>/page/<int:n>.png", views.efile_page, name="efile-page"),
    path(f"{W}approvals/<int:step_id>/page/<int:n>.png", views.approval_page, name="approval-page"),
    path(f"{W}service/<int:pk>/receipt/", views.receipt_file, name="receipt"),
    path(f"{W}approvals/", views.approvals, name="approvals"),
    path(f"{W}approvals/<int:step_id>/decide/", views.approval_decide, name="approval-decide"),
    path(f"{W}approvals/<int:step_id>/preview/", views.approval_preview, name="approval-preview"),
    path(f"{W}case/<int:case_id>/efile/", views.efile, name="efile"),
    path(f"{W}case/<int:case_id>/efile/upload/", views.efile_upload, name="efile-upload"),
    path(f"{W}efile/<int:pk>/", views.efile_file, name="efile-file"),
    path(f"{W}templates/", views.templates, name="templates"),
    path(f"{W}templates/<int:pk>/", views.template_edit, name="template-edit"),
    path("service/documents/", views.inbox, name="inbox"),
    path("service/documents/<int:pk>/", views.inbox_detail, name="inbox-detail"),
    path("service/documents/<int:pk>/pdf/", views.inbox_pdf, name="inbox-pdf"),
    path("documents/styles/", views.styles, name="styles"),
    path("documents/styles/<slug:code>/", views.style_preview, name="style"),
    path("documents/styles/<slug:code>/download.<str:fmt>", views.style_download, name="style-download"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify-code"),
]
