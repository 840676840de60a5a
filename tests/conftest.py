import os

import pytest

from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegulatorProfileFactory,
    UserFactory,
)
from tests.support import shared_regulations_dir

STRICT = os.environ.get("HEGUI_STRICT") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (HEGUI_STRICT=1) a skipped test is a failure: every test must run there."""
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in strict mode (CI must run every test): {report.longrepr}"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path_factory):
    """Each test keeps its evidence and reports in a folder of its own: stored files are named
    by primary keys, which the next test reuses."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rows are rolled back between tests and their
    primary keys reused, so a fragment cached by one test must not answer the next."""
    from django.core.cache import cache

    from assessments import content_cache, fragments
    from portal import page_cache

    cache.clear()
    content_cache.clear()
    fragments.clear_local()
    page_cache.clear_local()
    yield
    cache.clear()
    content_cache.clear()
    fragments.clear_local()
    page_cache.clear_local()


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The member pages go through the page cache as in production (portal/page_cache.py), so
    every test that reads a page after a change also checks that the change reaches it. A
    test that counts the queries of rendering a page turns it off."""
    settings.PAGE_CACHE_SECONDS = 3600


@pytest.fixture
def shared_cache(settings):
    """The cache as production has it: Redis whenever the suite has one (CI always does; a
    database of its own, emptied around the test), else local memory."""
    import os

    from django.core.cache import cache

    url = os.environ.get("REDIS_URL")
    if url:
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.cache.RedisCache",
                "LOCATION": url.rsplit("/", 1)[0] + "/14",
            }
        }
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Tasks run in-process unless a test is marked `broker` (it then talks to a real Redis)."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = request.node.get_closest_marker("broker") is None
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def shared_dir():
    """The folder of official texts beside the repository (skipped only where it is absent)."""
    folder = shared_regulations_dir()
    if folder is None:
        pytest.skip("the shared regulation texts are not available")
    return folder


@pytest.fixture
def organisation(db):
    return OrganisationFactory(province="110000", sector="internet")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(province="310000", sector="ecommerce")


@pytest.fixture
def org_owner(organisation):
    return MembershipFactory(organisation=organisation, role="owner").user


@pytest.fixture
def org_editor(organisation):
    return MembershipFactory(organisation=organisation, role="editor").user


@pytest.fixture
def org_viewer(organisation):
    return MembershipFactory(organisation=organisation, role="viewer").user


@pytest.fixture
def other_org_user(other_organisation):
    return MembershipFactory(organisation=other_organisation, role="owner").user


@pytest.fixture
def regulator(db):
    return RegulatorProfileFactory(provinces=["110000"]).user


@pytest.fixture
def out_of_jurisdiction_regulator(db):
    return RegulatorProfileFactory(provinces=["440000"]).user


@pytest.fixture
def content_admin(db):
    return UserFactory(is_staff=True)
