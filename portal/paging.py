"""A page of rows and how many rows there are, in one query."""

from django.core.paginator import Paginator
from django.db.models import Count, Window


class CountingPaginator(Paginator):
    """Django's Paginator for a QuerySet, reading a page's rows and the total in one query
    (COUNT(*) OVER (), counted before LIMIT): Django's asks COUNT(*) first, then the rows.
    A page past the end, or a number that is not one, goes Django's way (to the last page
    or the first), as does a paginator with orphans."""

    def get_page(self, number):
        try:
            wanted = int(number or 1)
        except (TypeError, ValueError):
            wanted = 0
        if wanted >= 1 and not self.orphans:
            start = (wanted - 1) * self.per_page
            counted = self.object_list.annotate(_total=Window(Count("pk")))
            rows = list(counted[start : start + self.per_page])
            if rows:
                self.count = rows[0]._total  # Paginator.count is a cached_property
                return self._get_page(rows, wanted, self)
        return super().get_page(number)
