import factory

from portal.models import Membership, Organisation, RegulatorProfile, User
from portal.validators import USCC_ALPHABET, uscc_check_character

PASSWORD = "correct horse battery staple"


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
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist_password(obj, create, extracted, **kwargs):
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
