"""Students working together: a teacher's classes (from a student information system's
export or a saved assessment), balanced groups and peer tutoring pairs made from the team's
evidence, and the students' own page (a light page, no kernel each) for a short
interest/schedule survey and the team peer- and self-evaluation."""
