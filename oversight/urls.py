from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("tables/<str:table>.csv", views.dashboard_table_csv, name="table_csv"),
    path("warnings/<int:pk>/acknowledge/", views.warning_acknowledge, name="warning_acknowledge"),
    path(
        "organisations/<int:organisation_pk>/history/",
        views.organisation_history,
        name="history",
    ),
]
