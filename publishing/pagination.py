"""Pagination for long public lists: a count and a deep page that stay cheap at scale."""

from array import array

from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject, cached_property

from .versioning import content_cached


def compact(keys):
    """Integer keys as an array: it unpickles from the cache as one block of bytes."""
    keys = list(keys)
    try:
        return array("q", keys)
    except (TypeError, OverflowError):
        return keys


class LargeListPaginator(Paginator):
    """Paginate a long list of published rows without work that grows with its length.

    The list's order, as its primary keys, is computed once per content version
    (``list_key`` names the list), and so is its count. A page is then a slice of
    those keys and one query for just those rows, looked up by key: no COUNT, no
    OFFSET that makes the database walk past every earlier row, no sort per request.
    The keys cost about 8 bytes a row in each worker's cache.

    ``rows_by_key``, given a page's keys, returns its rows by key; by default they are
    the list's own rows, looked up with its filters. A view can pass something cheaper
    that still leaves out whatever the public may not see.
    """

    def __init__(self, *args, list_key: str, rows_by_key=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.list_key = list_key
        self.rows_by_key = rows_by_key or self._rows_by_key

    def _rows_by_key(self, keys) -> dict:
        # Unordered, so the database looks the rows up by key instead of walking the list;
        # the published-only filters stay, so a row unpublished since is simply left out.
        return self.object_list.order_by().in_bulk(keys)

    def _check_object_list_is_ordered(self):
        # Checked when the keys are computed: only then is the list itself needed, so a
        # view may pass it lazily (SimpleLazyObject) and a deep page never builds it.
        pass

    @cached_property
    def keys(self):
        def compute():
            super(LargeListPaginator, self)._check_object_list_is_ordered()
            return compact(self.object_list.prefetch_related(None).values_list("pk", flat=True))

        return content_cached(f"keys:{self.list_key}", compute)

    @cached_property
    def count(self) -> int:
        return len(self.keys)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.keys[bottom:top]
        found = self.rows_by_key(list(keys))
        return self._get_page([found[key] for key in keys if key in found], number, self)


class LargeListMixin:
    """A ListView of a long public list, a page at a time through LargeListPaginator.

    The view gives ``get_list()`` (the ordered, filtered public queryset), ``list_key()``
    (its name, filters included) and ``items_by_key`` (a page's items by key, e.g. from
    ``publishing.rows``). The list is built only when its keys are not kept yet: built
    on every request (the public rule, with its relations nested) it cost about 4 ms of
    each deep page of /gaps/ and of /recommendations/
    (in-process, 10,000 reports).
    """

    paginator_class = LargeListPaginator

    def get_queryset(self):
        return SimpleLazyObject(self.get_list)

    def get_template_names(self):
        return [self.template_name]  # ListView's would build the lazy list to name another

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(
            *args, list_key=self.list_key(), rows_by_key=self.items_by_key, **kwargs
        )
