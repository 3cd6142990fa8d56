"""Demo organizations and one user per role. Idempotent."""

from accounts import credit_code
from accounts.models import City, Department, Organization, User
from accounts.roles import grant_role

DEMO_PASSWORD = "Demo-pass-2026"  # nosec B105 # the published demo password (DEBUG-only seed)

# username, display name, role, unit key
DEMO_USERS = [
    ("applicant", "王申报", "applicant", "org:lead"),
    ("applicant2", "李申报", "applicant", "org:other"),
    ("reviewer_ty", "赵审核", "department_reviewer", "dept:太原市科学技术局"),
    ("reviewer_dt", "钱审核", "department_reviewer", "dept:大同市科学技术局"),
    ("officer", "孙复核", "provincial_officer", "dept:山西省科学技术厅"),
    ("expert1", "周专家", "expert", None),
    ("evaluator", "吴评估", "evaluator", "org:evaluator"),
    ("admin", "郑管理", "administrator", None),
]


# Each demo organization has its own contact, phone and address in its own city.
ORG_CONTACTS = {
    "lead": ("王申报", "0351-7012345", "山西省太原市小店区科创路18号"),
    "other": ("李申报", "0352-6023456", "山西省大同市平城区御东新区装备路6号"),
    "evaluator": ("刘评估", "0351-4034567", "山西省太原市万柏林区长风西街26号"),
}


def _org(key, name, code_seed, org_type, city="140100"):
    contact, phone, address = ORG_CONTACTS[key]
    org, _ = Organization.objects.get_or_create(
        name=name,
        defaults={
            "credit_code": credit_code.generate(city, __import__("random").Random(code_seed)),
            "org_type": org_type,
            "registered_city": City.objects.get(division_code=city),
            "address": address,
            "status": Organization.Status.VERIFIED,
            "contact_name": contact,
            "contact_phone": phone,
        },
    )
    return org


def seed(ctx):
    orgs = {
        "org:lead": _org("lead", "太原示范半导体材料有限公司", 1, Organization.Type.ENTERPRISE),
        "org:other": _org(
            "other", "大同示范煤机装备股份有限公司", 2, Organization.Type.ENTERPRISE, "140200"
        ),
        "org:evaluator": _org(
            "evaluator", "山西示范科技评估中心", 3, Organization.Type.THIRD_PARTY_EVALUATOR
        ),
    }
    ctx["orgs"] = orgs
    users = {}
    for username, display, role, unit in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                last_name=display[0],
                first_name=display[1:],
                email=f"{username}@example.com",
            )
            if unit and unit.startswith("org:"):
                user.organization = orgs[unit]
            elif unit:
                user.department = Department.objects.get(name=unit.split(":", 1)[1])
            if role == "administrator":
                user.is_staff = True
                user.is_superuser = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            grant_role(user, role)
        users[username] = user
    ctx["users"] = users
    ctx["accounts"] = [(u, role) for u, _d, role, _unit in DEMO_USERS]
