"""cohort_tools: run the City Data Alliance Accelerator curriculum for a cohort of cities."""

from cohort_tools.core.compat import skip_slow_optional_imports

__version__ = "0.1.0"

# Before anything imports jsonschema (every process of this package: the command, kernels, graders).
skip_slow_optional_imports()
