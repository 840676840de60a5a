import pytest

from tests.regulations.factories import content_admin_with_permissions
from tests.support import shared_regulations_dir


@pytest.fixture
def regulations_admin(content_admin):
    """The content admin persona with the regulations permissions."""
    return content_admin_with_permissions(content_admin)


@pytest.fixture
def shared_dir():
    folder = shared_regulations_dir()
    if folder is None:
        pytest.skip("the shared regulation texts are not available")
    return folder
