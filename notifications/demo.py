"""Demo data: a welcome message for every demo user, so the message list and badge have content.

Idempotent: one welcome message per user, created only once.
"""

from .models import Message
from .services import forget_unread

WELCOME_SUBJECT = "欢迎使用山西省技术创新中心管理平台"
WELCOME_BODY = (
    "这是演示环境。首页的“待办事项”列出您当前需要处理的工作；"
    "审核、退回、认定等办理结果会以站内消息和电子邮件通知您。"
)


def seed(ctx):
    for user in ctx.get("users", {}).values():
        Message.objects.get_or_create(
            recipient=user,
            subject=WELCOME_SUBJECT,
            defaults={"body": WELCOME_BODY, "link": "/"},
        )
    forget_unread([user.pk for user in ctx.get("users", {}).values()])
