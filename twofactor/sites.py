"""The admin site, open only to sessions verified with a second factor where one is due."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from twofactor import policy


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request):
        user = request.user
        if not super().has_permission(request):
            return False
        if policy.session_is_verified(user):
            return True
        return not (policy.two_factor_required(user) or policy.has_two_factor(user))

    def login(self, request, extra_context=None):
        """The admin's own password-only form would skip the second step: the portal's sign-in
        page is the only way in, and brings the user back to the admin page asked for."""
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = ""
        target = target or reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return redirect(target)
        return redirect_to_login(target)
