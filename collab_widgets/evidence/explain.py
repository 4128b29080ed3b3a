""" "How is this calculated?": each results view's method in plain words, with the team's
own settings (band cut points, the smallest group shown, the question 3/4 cut points), so
that a teacher can check a figure by hand without reading code."""

from __future__ import annotations

from collab_widgets.evidence.model import EvidenceSettings

PERCENT = (
    "A student's percent is the points they earned divided by the points possible on the "
    "items they answered, times 100; an item left blank does not count against them. When "
    "the file holds only totals, it is the total divided by the maximum."
)


def _bands(settings: EvidenceSettings) -> str:
    names, cuts = settings.band_names, settings.band_cuts
    parts = [f"{names[0]} below {cuts[0]:g}%"]
    parts += [f"{name} from {low:g}%" for name, low in zip(names[1:], cuts, strict=True)]
    return "; ".join(parts)


def _suppression(settings: EvidenceSettings) -> str:
    return (
        f"A group, or a cell of the second table, of fewer than {settings.min_n} students is "
        "not shown (–), and neither is any figure from which it could be worked out, so "
        "that no small group's students can be recognised. The team sets this number under "
        "Settings."
    )


def how_calculated(section: str, settings: EvidenceSettings) -> list[str]:
    """The method behind one results view (Overview, Items, Standards, Subgroups, Growth,
    Groups), as short paragraphs."""
    if section == "Overview":
        return [
            PERCENT,
            "The average is the mean of the students' percents.",
            f"Each student falls in one band by their percent: {_bands(settings)} "
            "(the team's bands, under Settings). The table counts the students in each "
            "band and gives them as a percent of all the students shown.",
        ]
    if section == "Items":
        return [
            "For each item: the points all students earned on it divided by the points "
            "possible for the students who answered it, times 100. Students who left it "
            "blank are not counted for that item.",
            "For a multiple-choice item, the most chosen wrong answer is the wrong option "
            "picked most often, with the share of the students who answered the item who "
            "picked it.",
        ]
    if section == "Standards":
        return [
            "For each standard: the items linked to it in the item map are taken together; "
            "its percent is all the points earned on those items divided by the points "
            "possible on them, for the students who answered them, times 100.",
            "Students counts everyone who answered at least one of those items.",
        ]
    if section == "Subgroups":
        return [
            PERCENT,
            "For each group (for example students with and without an IEP), the first "
            "table gives the number of students and the mean of their percents; the second "
            "counts the group's students in each band.",
            _suppression(settings),
        ]
    if section == "Growth":
        return [
            "Students are matched across the two assessments by their student id; each "
            "matched student's change is their percent after minus their percent before, "
            "in percentage points.",
            "Students who took only one of the two are listed apart and left out of the change.",
            f"Moved out of intervention: students below {settings.group_cuts[0]:g}% before "
            f"and not below it after.",
        ]
    if section == "Groups":
        close, proficient, extension = settings.group_cuts
        return [
            PERCENT,
            f"Below {close:g}%: intervention (question 3, more time and support). From "
            f"{close:g}% to below {proficient:g}%: close. From {proficient:g}% to below "
            f"{extension:g}%: proficient. From {extension:g}%: extension (question 4). The "
            "team sets these cut points under Settings.",
            "The items a group missed are those where all the team's students in that group "
            f"together earned less than {proficient:g}% of the points possible, weakest "
            "first (the first eight are listed), also when one teacher's students are shown.",
        ]
    raise ValueError(f"no explanation for the view {section!r}")
