"""What the header shows about imports on every page: how many await a manager's approval."""

from .models import ImportJob


def awaiting_approval(request) -> dict:
    """A callable, so the count (one indexed query) runs only where the header shows it: for
    managers, who can approve."""

    def count() -> int:
        return ImportJob.objects.filter(status=ImportJob.Status.AWAITING_APPROVAL).count()

    return {"imports_awaiting_approval": count}
