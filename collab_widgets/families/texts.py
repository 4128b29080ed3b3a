"""Every text a family reads, in the family's language: the family page's words (sent to
the page by key, :data:`PAGE`), the names of things (:data:`CONFERENCE_KINDS`,
:data:`OWNERS`, :data:`PROGRESS`), and the catalogue that translates them and the store's
family-facing messages (``locale/<lang>/LC_MESSAGES/families.po``; docs/development.md
says how to update it, and a test fails on any text left out)."""

from __future__ import annotations

from pathlib import Path

from collab_widgets.core.i18n import N_, Catalogue

CATALOGUE = Catalogue(Path(__file__).parent / "locale", "families")

PAGE = {
    "title": N_("Your family page"),
    "loading": N_("Opening your family page…"),
    "hello": N_("The page of {child}'s family"),
    "class_line": N_("{class} · teacher: {teacher}"),
    "language": N_("Language"),
    "private": N_(
        "This page is for your family only. Nothing about your child stays on this phone "
        "or computer when you close it."
    ),
    "no_link": N_(
        "Open this page with the link or the code on the card your child's teacher gave you."
    ),
    "code_label": N_("Your family code"),
    "open": N_("Open"),
    "offline": N_(
        "The page cannot reach the school's server. Check your connection; it will try again."
    ),
    "ended": N_("This page has closed."),
    # the class meeting
    "meetings": N_("Class family meetings"),
    "no_meetings": N_("No class family meeting is planned yet."),
    "meeting_when": N_("{date} at {time}"),
    "skill": N_("The skill we work on"),
    "graph_title": N_("How the class is doing on {skill}"),
    "graph_intro": N_(
        "Each bar counts the children of the class whose result is in that range. No names: "
        "only your child's bar is marked."
    ),
    "graph_hidden": N_(
        "The class is too small to show a class graph without pointing at children; your "
        "child's own result is below."
    ),
    "bar": N_("{label}: number of children {count}"),
    "bar_child": N_("{label}: number of children {count}. Your child is here."),
    "your_child": N_("Your child"),
    "child_result": N_("{child}'s result: {percent}"),
    "no_result": N_("There is no result for {child} on this skill yet."),
    "agenda": N_("What we will do"),
    "minutes": N_("{minutes} min"),
    "activities": N_("Activities for home"),
    "materials": N_("You need: {materials}"),
    "not_in_language": N_("Not written in your language yet: shown in English."),
    # the goal
    "goal": N_("Our 60-day goal"),
    "goal_intro": N_(
        "Choose something you will do at home, how often, and the result you hope for by "
        "the next meeting."
    ),
    "goal_practice": N_("What we will do at home"),
    "goal_times": N_("Times a week"),
    "goal_target": N_("Our goal for the result (1 to 100)"),
    "goal_date": N_("By (date)"),
    "goal_save": N_("Save our goal"),
    "goal_saved": N_("Your goal is saved."),
    "goal_fix": N_("Please look at the notes under the boxes."),
    "goal_now": N_("Our goal: {practice}, {times} times a week, to reach {target} by {date}."),
    "progress": N_("Progress"),
    # conferences
    "conferences": N_("Meet the teacher"),
    "no_slots": N_("No meeting times are offered right now."),
    "choose": N_("Choose this time"),
    "yours": N_("Your time"),
    "give_up": N_("Cancel this time"),
    "chosen": N_("Your time is booked."),
    "agreements": N_("What we agreed"),
    "done": N_("Done"),
    "to_do": N_("To do"),
    # workshops
    "workshops": N_("Family workshops"),
    "no_workshops": N_("No family workshop is planned right now."),
    "sign_up": N_("We will come"),
    "signed_up": N_("You signed up."),
    "not_coming": N_("We cannot come"),
    # feedback
    "feedback": N_("Tell us how it is going"),
    "feedback_send": N_("Send"),
    "feedback_thanks": N_("Thank you! Your answers were sent without your name."),
    "saving": N_("Saving…"),
    "try_again": N_("It was not saved. Try again in a moment."),
}

CONFERENCE_KINDS = {
    "individual": N_("Parent–teacher conference"),
    "student-led": N_("Student-led conference"),
}

OWNERS = {
    "teacher": N_("The teacher"),
    "family": N_("Your family"),
    "student": N_("Your child"),
}

PROGRESS = {
    "reached": N_("Goal reached: {latest} at the last meeting."),
    "closer": N_("Closer to the goal: from {start} to {latest}."),
    "not-yet": N_("Not closer yet ({latest} at the last meeting). Keep going!"),
    "waiting": N_("We will look at it together at the next meeting."),
}

# the printed family card (:mod:`collab_widgets.families.cards`), one per guardian, in the
# family's language
CARD = {
    "title": N_("Your family page"),
    "family_of": N_("The family of {child}"),
    "for": N_("For {guardian}"),
    "scan": N_("Scan the square with your phone's camera, or type this address:"),
    "private": N_(
        "This link is for you alone: it opens your child's page and nothing else. Please "
        "do not share it."
    ),
    "lost": N_("Lost this card? Ask the teacher for a new link; this one then stops working."),
    "given": N_("Given on {date}"),
    "next_meeting": N_("Next class family meeting: {date} at {time}"),
}
