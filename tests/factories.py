import functools

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password

from portal.models import Membership, Organisation, RegulatorProfile, User
from portal.validators import USCC_ALPHABET, uscc_check_character

PASSWORD = "correct horse battery staple"


def standard_password_hash() -> str:
    """PASSWORD hashed by the hasher in force (some tests choose a cheaper one)."""
    return _hash_with(tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hash_with(hashers: tuple[str, ...]) -> str:
    return make_password(PASSWORD)


def make_uscc(n: int) -> str:
    """A valid, unique unified social credit code for the n-th test organisation."""
    serial = ""
    for _ in range(9):
        n, digit = divmod(n, len(USCC_ALPHABET))
        serial = USCC_ALPHABET[digit] + serial
    first17 = "91" + "110108" + serial
    return first17 + uscc_check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        """The standard password, hashed once per process with the production hasher (a
        million PBKDF2 rounds take most of a second here; no test is about the salt); a
        password given to the factory is hashed as set_password does."""
        if extracted is None:
            obj.password = standard_password_hash()
        else:
            obj.set_password(extracted)
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}有限公司")
    uscc = factory.Sequence(make_uscc)
    sector = "internet"
    province = "110000"
    size = "medium"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "editor"


class RegulatorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegulatorProfile

    user = factory.SubFactory(UserFactory)
    authority = "网信办（测试）"
    provinces = factory.LazyFunction(lambda: ["110000"])
    sectors = factory.LazyFunction(list)
