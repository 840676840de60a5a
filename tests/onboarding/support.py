from django.contrib.auth.models import Group

from portal.roles import PLATFORM_ADMIN_GROUP, role_groups
from tests.factories import UserFactory, make_uscc


def platform_admin(**kwargs):
    role_groups()
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=PLATFORM_ADMIN_GROUP))
    return user


def uscc(n: int) -> str:
    return make_uscc(900_000 + n)
