"""Shared factories for the foundation models. App-specific factories live in tests/<app>/factories.py."""

import random

import factory
from django.contrib.auth.models import Group

from accounts import credit_code
from accounts.models import City, Department, Organization, User
from accounts.roles import group_name

_rng = random.Random(20261126)


def valid_credit_code(division_code: str = "140100") -> str:
    return credit_code.generate(division_code, _rng)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"山西测试科技有限公司{n}")
    credit_code = factory.LazyFunction(valid_credit_code)
    org_type = Organization.Type.ENTERPRISE
    registered_city = factory.LazyFunction(lambda: City.objects.get(division_code="140100"))
    address = "太原市小店区长治路1号"
    status = Organization.Status.VERIFIED


def bureau(city_name: str = "太原市") -> Department:
    return Department.objects.get(kind=Department.Kind.CITY_BUREAU, city__name=city_name)


def province() -> Department:
    return Department.province()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    last_name = "张"
    first_name = factory.Sequence(lambda n: f"测试{n}")
    password = factory.django.Password("Demo-pass-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(*Group.objects.filter(name__in=[group_name(r) for r in extracted]))
            self._role_cache = None


def applicant(org=None, **kw) -> User:
    return UserFactory(organization=org or OrganizationFactory(), roles=["applicant"], **kw)


def reviewer(city_name: str = "太原市", **kw) -> User:
    return UserFactory(department=bureau(city_name), roles=["department_reviewer"], **kw)


def officer(**kw) -> User:
    return UserFactory(department=province(), roles=["provincial_officer"], **kw)
