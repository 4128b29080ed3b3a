"""The workshops' store, by audience: :mod:`.trainer` (the coach who sets up and runs a
workshop), :mod:`.participant` (the room, through the light page) and :mod:`.shared` (what
both read and write: a workshop, its prompts, its answers and its change counter)."""
