"""A paginator for the Accounts list that never counts a million rows on every request."""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from . import selectors

# Below this many accounts an exact COUNT(*) is cheap and the estimate is too rough to show.
ESTIMATE_FROM = 100_000


class AccountPaginator(Paginator):
    """Counts exactly, except for the unfiltered list of a large table on PostgreSQL.

    There it uses the planner's row estimate and sets `count_is_estimate`, so the page
    says "about 1,000,000 accounts". Filtered results are always counted exactly: they
    are narrowed by an index first.
    """

    def __init__(self, *args, unfiltered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.unfiltered = unfiltered
        self.count_is_estimate = False

    @cached_property
    def count(self) -> int:
        if self.unfiltered:
            estimate = selectors.estimated_account_count()
            if estimate is not None and estimate >= ESTIMATE_FROM:
                self.count_is_estimate = True
                return estimate
        return super().count

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if not self.count_is_estimate:
            return super().page(number)
        # The estimate cannot say whether this is the last page: one extra row can.
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        return EstimatedPage(
            rows[: self.per_page], number, self, has_more=len(rows) > self.per_page
        )


class EstimatedPage(Page):
    """A page of a list whose total is estimated: "next" and "last row" come from the rows."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self) -> bool:
        return self.has_more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1
