"""Coaching packets: every coaching template run for every city, fast, isolated and cached.

Public API: :func:`run_packets` (the ``cda packets build`` verb) and :class:`PacketReport`; the engine's
design is described in :mod:`cohort_tools.coaching_packets.engine`.
"""

from cohort_tools.coaching_packets.engine import CityTarget, PacketReport, run_jobs, run_packets

__all__ = ["CityTarget", "PacketReport", "run_jobs", "run_packets"]
