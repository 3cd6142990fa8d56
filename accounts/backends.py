"""The password backend (AUTHENTICATION_BACKENDS): Django's ModelBackend, whose user of each
request comes in one query with the organization or department it belongs to and the names of
its role groups. Every page shows that unit and the role's navigation: two queries fewer on
every page of a signed-in user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connections
from django.db.models import CharField
from django.db.models.expressions import RawSQL

from .roles import ROLE_PREFIX, roles_of

PATH = "accounts.backends.UnitModelBackend"
SEPARATOR = "\n"  # never in a group name (Group.name is one line)
# the database's function that joins the names of a group of rows, with a separator
JOIN_FUNCTION = {"postgresql": "STRING_AGG", "sqlite": "GROUP_CONCAT"}


def role_group_names(using: str = "default") -> RawSQL:
    """The user's role group names, joined by SEPARATOR in no particular order (NULL when it
    has none): a correlated subquery written as SQL, which costs nothing to compile (as a
    Django Subquery it took about a millisecond of every request)."""
    user_model = get_user_model()
    memberships = user_model.groups.through._meta
    quote = connections[using].ops.quote_name
    function = JOIN_FUNCTION.get(connections[using].vendor, "GROUP_CONCAT")
    member, group = (quote(memberships.get_field(n).column) for n in ("user", "group"))
    users, user_pk = quote(user_model._meta.db_table), quote(user_model._meta.pk.column)
    name, group_pk = quote(Group._meta.get_field("name").column), quote(Group._meta.pk.column)
    # quoted names of the models' tables and columns; the values are parameters
    sql = (
        f"SELECT {function}(g.{name}, %s) FROM {quote(Group._meta.db_table)} g"  # nosec B608
        f" JOIN {quote(memberships.db_table)} m ON m.{group} = g.{group_pk}"
        f" WHERE m.{member} = {users}.{user_pk} AND g.{name} LIKE %s"
    )
    return RawSQL(sql, (SEPARATOR, f"{ROLE_PREFIX}%"), output_field=CharField())  # nosec B611


class UnitModelBackend(ModelBackend):
    def get_user(self, user_id):
        users = (
            get_user_model()
            ._default_manager.select_related("organization", "department")
            .annotate(role_group_names=role_group_names())
            .filter(pk=user_id)
        )
        user = next(iter(users), None)  # the primary key: no ORDER BY and LIMIT to compile
        if user is None or not self.user_can_authenticate(user):
            return None
        names = user.role_group_names.split(SEPARATOR) if user.role_group_names else ()
        user._role_cache = roles_of(names, is_superuser=user.is_superuser)
        return user
