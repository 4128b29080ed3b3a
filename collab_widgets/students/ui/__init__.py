"""The students' screens: the class (:mod:`.class_panel`), balanced groups
(:mod:`.groups_panel`, with the board students are moved on, :mod:`.group_board`), peer
tutoring pairs (:mod:`.tutoring_panel`), the teamwork check (:mod:`.evaluation_panel`) and
growth by grouping (:mod:`.growth_panel`), all bound to one :class:`.state.ClassState`."""
