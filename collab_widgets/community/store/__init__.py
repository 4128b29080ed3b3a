"""The community domain's SQL, split by what it keeps: the school and its people, partners
and their agreements, mentoring, service projects and careers, and the partnership plan.
Every call takes a :class:`~collab_widgets.core.db.SchoolScope` (or, for the mentor's page,
a mentor's own link code) and never a bare school id from a page."""
