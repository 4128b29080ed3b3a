"""The families' store, by audience: the class's teacher and team (``families``,
``meetings``, ``conferences``, ``workshops``) and a family's own page (``family``)."""
