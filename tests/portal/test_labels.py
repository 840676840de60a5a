"""Organisation.get_province_display / get_sector_display answer what Django's generated
methods would, in both languages, for every code and for an unknown one."""

import pytest
from django.db.models import Model
from django.utils import translation

from portal.models import Organisation
from portal.regions import Province, Sector


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_labels_are_django_s(language):
    province = Organisation._meta.get_field("province")
    sector = Organisation._meta.get_field("sector")
    with translation.override(language):
        for code in [*Province.values, "999999", ""]:
            for kind in [*Sector.values, "unknown"]:
                org = Organisation(province=code, sector=kind)
                assert org.get_province_display() == Model._get_FIELD_display(org, province)
                assert org.get_sector_display() == Model._get_FIELD_display(org, sector)


def test_a_label_follows_the_language():
    org = Organisation(province="110000", sector="internet")
    with translation.override("zh-hans"):
        assert org.get_province_display() == "北京市"
    with translation.override("en"):
        assert org.get_province_display() == "Beijing"
