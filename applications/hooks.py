"""Side effects of transitions, run inside the transition's transaction.

The applications issue fills this in: freezing versions on submit,
routing permissions, notifications.
"""


def after_transition(app, *, transition: str, actor, reason: str) -> None:
    return None
