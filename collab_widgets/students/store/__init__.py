"""The students' store, by audience: :mod:`.classes` (a class and its students, for the
team; changed by the class's teacher only), :mod:`.groupings` (groups and tutoring pairs),
:mod:`.evaluations` (the teacher's side of the peer- and self-evaluation) and
:mod:`.student` (what a student's own page reads and writes, through the light page).

Who sees what: the team's members see real names and the teacher's notes on each
student; a coach (or a visitor holding only the team link) sees pseudonyms only and no
notes; a student sees their own name and, during an evaluation, their teammates'
display names; the class code is shown to the class's teacher only."""
