"""Rendering: the page shell and its CSS, offline charts, PDF."""
