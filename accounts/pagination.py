"""Paginators for long lists: the Accounts list never counts a million rows on every request,
and a job's 100,000 row errors page without reading the rows before the page."""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from . import selectors

# Below this many accounts an exact COUNT(*) is cheap (a few ms) and the estimate too rough
# to show.
ESTIMATE_FROM = 10_000


class AccountPaginator(Paginator):
    """Counts exactly up to ESTIMATE_FROM accounts; beyond, on PostgreSQL, estimates.

    The unfiltered list takes the table's row estimate (pg_class) without counting at all;
    a filter that keeps more than ESTIMATE_FROM accounts ("every open account") takes the
    planner's estimate of its query once a count stopped at ESTIMATE_FROM has shown it is
    that large. Either way `count_is_estimate` is set, so the page says "about 950,000
    accounts". A search is narrowed by an index first, and is counted exactly.
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
        # Django counts a sliced query as SELECT COUNT(*) FROM (… LIMIT n): bounded work.
        counted = self.object_list.order_by()[:ESTIMATE_FROM].count()
        if counted < ESTIMATE_FROM:
            return counted
        estimate = selectors.estimated_row_count(self.object_list)
        if estimate is None:
            return super().count
        self.count_is_estimate = True
        return max(estimate, ESTIMATE_FROM)

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


class KeysFirstPaginator(Paginator):
    """Pages a long list by reading the page's keys first, off an index in the list's order.

    A plain OFFSET 99,950 fetches every row before the page from the table (95 ms for the
    last page of a job's 100,000 row errors); the keys alone come from an index-only scan
    and only the page's rows are then read (32 ms), still in one query.
    """

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)
