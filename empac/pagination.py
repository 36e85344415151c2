"""Pagination for long public lists: a count and a deep page that stay cheap at scale."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

from empac.pagecache import content_cached


class LargeListPaginator(Paginator):
    """Paginate a long list of published rows without work that grows with its length.

    The count is worked out once per content version (``count_key`` names the list).
    A page is read in two steps: the primary keys of its rows, which the database can
    take from the list's index alone, then just those rows in full. Asking for whole
    rows at an offset makes PostgreSQL read every row it skips, so the deepest pages
    cost the most.
    """

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return content_cached(f"count:{self.count_key}", lambda: Paginator.count.func(self))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        keys = rows.prefetch_related(None).values("pk")[bottom:top]
        if connections[rows.db].vendor == "postgresql":
            # One round trip: PostgreSQL takes the keys from the index, then sorts 20 rows.
            return self._get_page(list(rows.filter(pk__in=keys)), number, self)
        # SQLite would answer that by walking the whole list, so ask for the keys first,
        # then the rows unordered (looked up by key) and put them in the keys' order.
        keys = [row["pk"] for row in keys]
        found = {row.pk: row for row in rows.order_by().filter(pk__in=keys)}
        return self._get_page([found[key] for key in keys if key in found], number, self)
