"""cohort_tools: run the City Data Alliance Accelerator curriculum for a cohort of cities."""

__version__ = "0.1.0"
