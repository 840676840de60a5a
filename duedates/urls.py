from django.urls import path

from duedates import views

app_name = "duedates"
urlpatterns = [
    path("<int:pk>/event/", views.event_date, name="event_date"),
]
