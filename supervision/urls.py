from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/submissions/<int:number>/", views.review, name="submission"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/unclaim/", views.unclaim, name="unclaim"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/override/", views.override, name="override"),
]
