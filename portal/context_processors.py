"""Navigation per role for the page shell."""

from portal import access
from portal.roles import is_platform_admin


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {"nav_roles": set()}
    roles = set()
    if access.is_member(user):
        roles.add("member")
    if access.is_regulator(user):
        roles.add("regulator")
    if is_platform_admin(user):
        roles.add("platform_admin")
    elif user.is_content_admin:
        roles.add("content_admin")
    return {"nav_roles": roles}
