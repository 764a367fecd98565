"""The page links of every paginated list (templates/partials/_pagination.html)."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag
def page_numbers(page: Page) -> list:
    """The pages to link around the current one: 1 … 4 5 [6] 7 8 … 20, `…` standing for the
    pages left out. An estimated total (accounts.pagination, a huge table) has no last page
    to count to: none, and the partial shows the first and the current page only."""
    paginator = page.paginator
    if getattr(paginator, "count_is_estimate", False):
        return []
    return list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, number: int) -> str:
    """`?status=open&page=3`: the request's parameters with the page replaced. A page that
    shows two lists names the second one's parameter (`page_parameter`), which Django's
    `{% querystring %}` cannot take from a variable."""
    query = context["request"].GET.copy()
    query[context.get("page_parameter") or "page"] = number
    return f"?{query.urlencode()}"
