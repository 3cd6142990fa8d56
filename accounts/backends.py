"""The password backend (AUTHENTICATION_BACKENDS): Django's ModelBackend, whose user of each
request comes in one query with the organization or department it belongs to and the names of
its role groups. Every page shows that unit and the role's navigation: two queries fewer on
every page of a signed-in user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Aggregate, CharField, OuterRef, Subquery, Value

from .roles import ROLE_PREFIX, roles_of

PATH = "accounts.backends.UnitModelBackend"
SEPARATOR = "\n"  # never in a group name (Group.name is one line)


class JoinedNames(Aggregate):
    """The names joined by SEPARATOR, in no particular order (SQLite's GROUP_CONCAT,
    PostgreSQL's STRING_AGG)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(SEPARATOR), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra)


def role_group_names():
    """A subquery: the user's role group names, joined (NULL when it has none)."""
    names = (
        Group.objects.filter(user=OuterRef("pk"), name__startswith=ROLE_PREFIX)
        .order_by()
        .values("user")
        .annotate(joined=JoinedNames("name"))
        .values("joined")
    )
    return Subquery(names, output_field=CharField())


class UnitModelBackend(ModelBackend):
    def get_user(self, user_id):
        users = (
            get_user_model()
            ._default_manager.select_related("organization", "department")
            .annotate(role_group_names=role_group_names())
        )
        user = users.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        names = user.role_group_names.split(SEPARATOR) if user.role_group_names else ()
        user._role_cache = roles_of(names, is_superuser=user.is_superuser)
        return user
