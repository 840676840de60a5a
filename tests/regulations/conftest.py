import pytest

from tests.regulations.factories import content_admin_with_permissions


@pytest.fixture
def regulations_admin(content_admin):
    """The content admin persona with the regulations permissions."""
    return content_admin_with_permissions(content_admin)
