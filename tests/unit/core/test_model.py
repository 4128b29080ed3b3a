"""Issue 20: a new user's walk through the Evidence page, driven without a browser. Each
test shows one thing that person met: a message that contradicted its own list, panels
that changed only after a reload, a form that kept the last file's name and date, blank
drop-downs, comparing an assessment with itself, "1 students", and a French "Nom" column
taken for a subgroup."""


def test_plural():
    from collab_widgets.core.model import plural

    assert plural(1, "student") == "1 student"
    assert plural(0, "student") == "0 students"
    assert plural(2, "student") == "2 students"
    assert plural(1, "person", "people") == "1 person"
    assert plural(3, "person", "people") == "3 people"
