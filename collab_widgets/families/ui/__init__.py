"""The families' screens: the class's families and their links (:mod:`.families_panel`),
class family meetings (:mod:`.meetings_panel`), conferences (:mod:`.conferences_panel`),
workshops and feedback (:mod:`.workshops_panel`) and the team's view of participation
(:mod:`.participation_panel`), all bound to one :class:`.state.FamilyState`."""
