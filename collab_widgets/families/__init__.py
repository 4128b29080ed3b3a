"""Family–school partnerships: class family meetings around the class's data, a private page
per family in the family's language, goals, conferences, workshops and feedback."""
