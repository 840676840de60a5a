from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import forms, views
from twofactor import views as twofactor_views

auth_patterns = [
    # The password, then a code for an account with an authenticator (twofactor/).
    path("login/", twofactor_views.SignInView.as_view(), name="login"),
    path("two-factor/", include("twofactor.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=forms.PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include(auth_patterns)),
    path("assessments/", include("assessments.urls")),
    path("regulations/", include("regulations.urls")),
    path("review/", include("supervision.urls")),
    path("oversight/", include("oversight.urls")),
    path("notifications/", include("notifications.urls")),
    path("due-dates/", include("duedates.urls")),
    path("onboarding/", include("onboarding.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
