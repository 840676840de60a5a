from django.urls import path

from onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/verify/<str:token>/", views.verify, name="verify"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("import/", views.import_organisations, name="import"),
    path("regulators/", views.regulators, name="regulators"),
    path("regulators/new/", views.regulator_new, name="regulator_new"),
    path("regulators/<int:pk>/", views.regulator_change, name="regulator_change"),
]
