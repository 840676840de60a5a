from django.urls import include, path

from assessments import views
from supervision import org_views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("start/<int:organisation_pk>/", views.assessment_start, name="start"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/section/<str:module>/", views.section_page, name="section"),
    path("<int:pk>/answer/<str:code>/", views.answer_save, name="answer"),
    path("<int:pk>/answer/<str:code>/evidence/", views.evidence_upload, name="evidence_upload"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/delete/",
        views.evidence_delete,
        name="evidence_delete",
    ),
    path("<int:pk>/assign/<str:module>/", views.section_assign, name="assign"),
    path("<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:pk>/reopen/", views.assessment_reopen, name="reopen"),
    path("<int:pk>/scoping/reuse/", views.scoping_reuse, name="scoping_reuse"),
    path("<int:pk>/upgrade/", views.assessment_upgrade, name="upgrade"),
    path(
        "<int:pk>/comments/<int:comment_pk>/reply/",
        org_views.comment_reply,
        name="comment_reply",
    ),
    path("evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
    path("article/<str:code>/<int:number>/", views.article_text, name="article"),
    path("organisations/<int:organisation_pk>/invite/", views.member_invite, name="invite"),
    path(
        "organisations/<int:organisation_pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("", include("assessments.urls_results")),
]
