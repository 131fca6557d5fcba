"""The notebook engine: MyST sources and parameters, warm kernels, one run loop."""
