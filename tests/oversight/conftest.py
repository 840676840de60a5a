import pytest

from tests.assessments.results_support import small_questionnaire
from tests.supervision.workspace_support import fast_passwords  # noqa: F401 - a fixture


@pytest.fixture
def version():
    return small_questionnaire()
