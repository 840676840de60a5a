"""The in-portal list of a person's notices: their own only, newest first."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_inbox_lists_only_ones_own_notices(client):
    me, other = UserFactory(), UserFactory()
    for user, subject in ((me, "我的通知"), (other, "别人的通知")):
        Notification.objects.create(
            recipient=user,
            kind=Notification.Kind.LAW_CHANGED,
            subject=subject,
            body="正文",
            link="https://example.cn/",
            language="zh-hans",
        )
    client.force_login(me)
    content = client.get(reverse("notifications:inbox")).content.decode()
    assert "我的通知" in content and "别人的通知" not in content
    assert 'data-kind="law_changed"' in content
