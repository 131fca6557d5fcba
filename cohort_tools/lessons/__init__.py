"""Lesson helpers: the computations and checks the curriculum's notebooks use."""
