"""Workshop mode: the trainer's prompts and controls, who sees what (a participant only
the current prompt, its own answer and the revealed aggregate; a coach only its own
workshops; a team code nothing of them), the aggregations, the export, and the
presenter's page. The participants' light page and its API: ``test_workshop_api.py``."""

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.protocols.library import load_library
from collab_widgets.workshops.rules import (
    WorkshopPrompt,
    aggregate,
    check_answer,
    normalise_word,
    parse_options,
    protocol_prompts,
)


def _choice(options=("Yes", "No", "Not sure")):
    return WorkshopPrompt(1, 0, "choice", "Ready?", tuple(options))


def test_a_choice_counts_every_option_in_order_blank_answers_not_counted():
    result = aggregate(_choice(), ["No", "Yes", "No", "", "  "])
    assert result.answered == 3
    assert result.rows == (("Yes", 1), ("No", 2), ("Not sure", 0))
    assert result.average is None
    assert result.sentence() == "3 answers."


def test_fist_to_five_has_its_spread_average_and_who_is_low_to_hear():
    prompt = WorkshopPrompt(1, 0, "fist", "Agree?")
    result = aggregate(prompt, ["5", "4", "1", "2", "3"])
    assert [count for _label, count in result.rows] == [0, 1, 1, 1, 1, 1]
    assert result.rows[0][0] == "0 (fist)"
    assert result.average == 3.0
    assert result.low == 2
    assert result.sentence() == "5 answers, average 3.0; 2 at 2 or below, to be heard first."


def test_a_rating_spreads_over_one_to_five():
    result = aggregate(WorkshopPrompt(1, 0, "rating", "How sure?"), ["1", "5", "5"])
    assert [label for label, _c in result.rows] == ["1", "2", "3", "4", "5"]
    assert dict(result.rows)["5"] == 2
    assert round(result.average, 2) == 3.67


def test_words_are_counted_most_frequent_first_ignoring_case_spacing_and_end_marks():
    prompt = WorkshopPrompt(1, 0, "word", "One word for today")
    result = aggregate(prompt, ["Curious", "curious!", " hopeful ", "Tired", "CURIOUS", "hopeful"])
    assert result.rows[:2] == (("curious", 3), ("hopeful", 2))
    assert normalise_word("  Data   driven. ") == "data driven"


def test_open_text_is_listed_newest_first_without_names():
    result = aggregate(WorkshopPrompt(1, 0, "text", "Why?"), ["first", "second"])
    assert result.texts == ("second", "first") and result.rows == ()


def test_answers_are_checked_against_the_prompt():
    assert check_answer(_choice(), "Yes") == "Yes"
    with pytest.raises(InvalidInput, match="Pick one of the answers"):
        check_answer(_choice(), "Maybe")
    with pytest.raises(InvalidInput, match="Pick one"):
        check_answer(WorkshopPrompt(1, 0, "fist", "?"), "6")
    with pytest.raises(InvalidInput, match="under 40"):
        check_answer(WorkshopPrompt(1, 0, "word", "?"), "x" * 41)
    assert check_answer(WorkshopPrompt(1, 0, "text", "?"), "  as typed\n") == "  as typed\n"


def test_options_typed_one_per_line_drop_blanks_and_repeats():
    assert parse_options("Yes\n\n No \nYes\nMaybe  so") == ("Yes", "No", "Maybe so")


def test_a_library_protocol_becomes_one_prompt_per_step_of_a_fitting_kind():
    protocol = load_library().get("looking-at-data")
    specs = protocol_prompts(protocol)
    assert len(specs) == len(protocol.steps)
    for (kind, text, _options), step in zip(specs, protocol.steps, strict=True):
        assert step.title in text
        expected = {"fist-to-five": "fist", "rating": "rating"}.get(step.input, kind)
        assert kind == expected
        if step.input not in ("fist-to-five", "rating", "dot-vote"):
            assert kind == "text"
