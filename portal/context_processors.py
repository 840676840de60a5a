"""Navigation per role for the page shell."""

from portal import access


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {"nav_roles": set()}
    roles = set()
    if access.is_member(user):
        roles.add("member")
    if access.is_regulator(user):
        roles.add("regulator")
    if user.is_content_admin:
        roles.add("content_admin")
    return {"nav_roles": roles}
