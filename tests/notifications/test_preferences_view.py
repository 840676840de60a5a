import pytest
from django.urls import reverse

from notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db

URL = "/notifications/preferences/"


def test_the_url_is_named():
    assert reverse("notifications:preferences") == URL


def test_it_requires_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "persona", ["org_owner", "org_viewer", "regulator", "content_admin", "other_org_user"]
)
def test_every_signed_in_user_can_open_it(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="delivery"' in response.content and b'name="language"' in response.content


def test_it_shows_the_defaults_to_someone_who_never_chose(client, org_viewer):
    client.force_login(org_viewer)
    form = client.get(URL).context["form"]
    assert form["delivery"].value() == "immediate"
    assert form["language"].value() == "zh-hans"
    assert not NotificationPreference.objects.exists()


def test_saving_stores_the_choice_and_says_so(client, regulator):
    client.force_login(regulator)
    response = client.post(URL, {"delivery": "digest", "language": "en"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    preference = NotificationPreference.objects.get(user=regulator)
    assert (preference.delivery, preference.language) == ("digest", "en")
    assert len(list(response.context["messages"])) == 1


def test_saving_again_changes_the_same_row(client, regulator):
    client.force_login(regulator)
    client.post(URL, {"delivery": "digest", "language": "en"})
    client.post(URL, {"delivery": "immediate", "language": "zh-hans"})
    preference = NotificationPreference.objects.get(user=regulator)
    assert (preference.delivery, preference.language) == ("immediate", "zh-hans")


def test_an_unknown_choice_is_refused(client, regulator):
    client.force_login(regulator)
    response = client.post(URL, {"delivery": "hourly", "language": "fr"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"delivery", "language"}
    assert not NotificationPreference.objects.exists()
