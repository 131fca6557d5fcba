"""Plain words, measured: sentence length, long words and a reading-grade estimate.

The curriculum and the strategy aim at US grade 10 or below (Flesch-Kincaid). The tests score text
with textstat, which is a test-only dependency (newer versions download a dictionary at run time),
so notebooks that check a team's own sentences (the strategy studio's executive summary) use this
small estimate instead: the same Flesch-Kincaid formula, with syllables counted by vowel groups
(a silent final "e" dropped, "-le" kept). It agrees with textstat within about one grade on plain
English (tests/unit/test_readability_estimate.py compares them).

Nothing here reads files or prints; every function takes a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The highest US school grade the curriculum's prose may read at.
MAX_GRADE = 10.0
#: A sentence longer than this is hard to follow when read aloud to a council.
MAX_SENTENCE_WORDS = 30

_PUNCTUATION = re.compile(r"[^\w\s']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


def words(text: str) -> list[str]:
    """The words of ``text``: what is left between spaces once punctuation is removed (a number
    counts as a word, as in textstat)."""
    return _PUNCTUATION.sub("", text.replace("’", "'")).split()


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, split after ., ! and ?; fragments of one or two words (list
    numbers, "e.g.") are not counted as sentences, as in textstat."""
    found = [s.strip() for s in _SENTENCE.findall(text)]
    return [s for s in found if len(words(s)) > 2]


def syllables(word: str) -> int:
    """An estimate of the syllables in one English word (at least 1)."""
    w = word.lower().strip("'")
    if w.isdigit() or len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^aeiouyl]e)$", "", w)  # silent endings (not "-le")
    w = re.sub(r"^y", "", w)
    groups = re.findall(r"[aeiouy]+", w)
    return max(1, len(groups))


@dataclass(frozen=True)
class Reading:
    """How hard a text is to read."""

    sentences: int
    words: int
    grade: float  # Flesch-Kincaid grade estimate
    longest_sentence: int  # words in the longest sentence

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0


def reading(text: str) -> Reading:
    """Sentences, words, the grade estimate and the longest sentence of ``text``."""
    all_words = words(text)
    if not all_words:
        return Reading(0, 0, 0.0, 0)
    found = sentences(text)
    count = max(1, len(found))
    syllable_count = sum(syllables(w) for w in all_words)
    grade = 0.39 * len(all_words) / count + 11.8 * syllable_count / len(all_words) - 15.59
    longest = max((len(words(s)) for s in found), default=len(all_words))
    return Reading(count, len(all_words), round(grade, 1), longest)


def reading_grade(text: str) -> float:
    """The Flesch-Kincaid US grade estimate of ``text`` (0 for a text with no words)."""
    return reading(text).grade


def long_sentences(text: str, *, most: int = MAX_SENTENCE_WORDS) -> list[str]:
    """The sentences of ``text`` with more than ``most`` words."""
    return [s for s in sentences(text) if len(words(s)) > most]


__all__ = [
    "MAX_GRADE",
    "MAX_SENTENCE_WORDS",
    "Reading",
    "long_sentences",
    "reading",
    "reading_grade",
    "sentences",
    "syllables",
    "words",
]
