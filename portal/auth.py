"""Signing in with an e-mail address, compared without regard to case, and the lock-out's view
of who is signing in (django-axes)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

USERNAME_MAX_LENGTH = 255  # the length of axes' username column


def normalise_email(value) -> str:
    return str(value or "").strip().lower()[:USERNAME_MAX_LENGTH]


class EmailBackend(ModelBackend):
    """ModelBackend that finds the account by e-mail address whatever its case (`Owner@…`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        email = normalise_email(username or kwargs.get(User.USERNAME_FIELD))
        if not email or password is None:
            return None
        user = self.user_for_email(User, email)
        if user is None:
            User().set_password(password)  # spend the same time as for a real account
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of each request, with what the page shell asks of every page in
        the same query: the regulator profile (or its absence) and whether the user belongs
        to any organisation (`has_membership`, read by portal.access). From the shared cache
        when USER_CACHE_SECONDS is set (portal/user_cache.py)."""
        from django.db.models import Exists, OuterRef

        from portal import user_cache
        from portal.models import Membership

        user = user_cache.get(user_id)
        if user is None:
            User = get_user_model()
            user = (
                User._default_manager.select_related("regulator_profile")
                .annotate(has_membership=Exists(Membership.objects.filter(user=OuterRef("pk"))))
                .filter(pk=user_id)
                .first()
            )
            if user is not None:
                user_cache.put(user)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def user_for_email(User, email: str):
        candidates = list(User._default_manager.filter(email__iexact=email)[:2])
        if len(candidates) == 1:
            return candidates[0]
        # Two accounts that differ only in case (created before addresses were lower-cased):
        # only the exact spelling signs in.
        return next((user for user in candidates if user.email == email), None)


def axes_username(request, credentials=None) -> str:
    """The account a sign-in attempt is for, as the lock-out counts it (AXES_USERNAME_CALLABLE).

    The sign-in form posts `username`; axes would otherwise look for `email` (USERNAME_FIELD)
    and record every failure without an account, so guessing one password from many addresses
    never locked anything. Lower-cased so `Owner@…` and `owner@…` count as one account.
    """
    credentials = credentials or {}
    raw = credentials.get("username") or credentials.get("email")
    if raw is None and request is not None:
        raw = request.POST.get("username") or request.POST.get("email")
    return normalise_email(raw)
