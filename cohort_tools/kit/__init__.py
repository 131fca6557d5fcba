"""The facilitation kit: the program around the notebooks.

Showcase rubrics and the coach's feedback form, the staff skills-survey instrument, the convening's
run of show, speaker briefs for the keynotes, a cohort-wide view for the keynote sessions, and the
printable copies of all of these (HTML and PDF). The content is data in ``curriculum/kit/``; this
package checks it, renders it into book pages (:mod:`cohort_tools.kit.pages`) and writes the printable
kit (:func:`cohort_tools.kit.api.build_kit`).
"""
