"""Pulse-survey instruments: definitions as data files, and their scoring.

Plain Python (no widgets, no SQL): :mod:`.schema` reads and checks a file,
:mod:`.library` loads the shipped files and a coach's own, :mod:`.scoring` checks one
respondent's answer and summarises a round (reverse items, subscales, and the minimum
number of respondents below which no figure is shown).
"""

from .library import Library, load_instruments, load_library
from .schema import Instrument, InstrumentFileError, Item, Problem, Scale, Subscale, parse
from .scoring import (
    ItemSummary,
    RoundSummary,
    SubscaleSummary,
    TrendPoint,
    check_answer,
    respondent_scores,
    summarise,
    trend,
)

__all__ = [
    "Instrument",
    "InstrumentFileError",
    "Item",
    "ItemSummary",
    "Library",
    "Problem",
    "RoundSummary",
    "Scale",
    "Subscale",
    "SubscaleSummary",
    "TrendPoint",
    "check_answer",
    "load_instruments",
    "load_library",
    "parse",
    "respondent_scores",
    "summarise",
    "trend",
]
