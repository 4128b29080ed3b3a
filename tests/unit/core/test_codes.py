from collab_widgets.core import codes


def test_codes_carry_at_least_40_bits_and_avoid_look_alikes():
    assert codes.BITS >= 40
    for confusable in "0O1lIL":
        assert confusable not in codes.ALPHABET


def test_new_codes_are_valid_and_distinct():
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(len(code) == codes.CODE_LENGTH and set(code) <= set(codes.ALPHABET) for code in made)


def test_typing_is_forgiving_about_case_spaces_and_dashes():
    code = codes.new_code()
    shown = codes.display(code)
    assert shown.count("-") == 2
    assert codes.normalize(shown.lower()) == code
    assert codes.normalize(" " + shown.replace("-", " ") + " ") == code
