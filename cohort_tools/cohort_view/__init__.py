"""The one-page view across a cohort."""

from cohort_tools.cohort_view.page import write_cohort_view

__all__ = ["write_cohort_view"]
