"""Pulse-survey instruments: definitions as data files, and their scoring.

Plain Python (no widgets, no SQL): :mod:`.schema` reads and checks a file,
:mod:`.library` loads the shipped files and a coach's own, :mod:`.scoring` checks one
respondent's answer and summarises a round (reverse items, subscales, and the minimum
number of respondents below which no figure is shown).
"""
