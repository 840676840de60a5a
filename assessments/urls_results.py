"""Result pages of a submission: the page, its htmx status partial and the PDF report.

Included by assessments/urls.py inside the "assessments" namespace.
"""

from django.urls import path

from assessments import views_results

urlpatterns = [
    path("submissions/<int:pk>/", views_results.submission_detail, name="submission"),
    path(
        "submissions/<int:pk>/status/",
        views_results.submission_status,
        name="submission_status",
    ),
    path("submissions/<int:pk>/report.pdf", views_results.submission_report, name="report"),
]
