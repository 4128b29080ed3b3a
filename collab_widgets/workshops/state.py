"""What the trainer's workshop page shows, held apart from its widgets: the coach's
workshops and the one chosen, that workshop as last read with its shown prompt's answers,
whether the room sees the results, the tab open, and what the controls allow. The page
(:class:`~collab_widgets.workshops.ui.WorkshopPresenter`) binds its widgets to one
:class:`PresenterState` (``traitlets.link``/``dlink``) and is a view of it, so these rules
are tested without widgets.

Two kinds of change reach the state: the trainer's choices (a workshop picked, results
revealed), and the page showing what the store holds. Only choices should act, so the page
sets stored values inside :meth:`ScreenState.loading` (:meth:`PresenterState.offer` and
:meth:`PresenterState.show` do), and hears choices through :meth:`ScreenState.on_edit`,
which does not call back while a load is under way.
"""

from __future__ import annotations

from traitlets import Bool, Instance, Int, List, Tuple, observe

from collab_widgets.core.state import ScreenState
from collab_widgets.workshops.rules import Aggregate, Workshop, WorkshopPrompt

PROMPTS_TAB, PRESENT_TAB = 0, 1


class PresenterState(ScreenState):
    """The workshop page's state. The trainer edits :attr:`chosen`, :attr:`results_shown`
    and :attr:`tab`; the rest the page loads or this state derives."""

    choices = List()  # (label, workshop id) of the coach's workshops, newest first
    chosen = Int(None, allow_none=True)  # the workshop picked (None: the coach has none)
    workshop = Instance(Workshop, allow_none=True)  # the chosen workshop, as last read
    result = Instance(Aggregate, allow_none=True)  # its shown prompt's answers
    results_shown = Bool(False)  # the aggregate on participants' pages too
    tab = Int(PROMPTS_TAB)

    # derived from the workshop and its answers (set by this state only)
    prompt = Instance(WorkshopPrompt, allow_none=True)  # on the big screen, even once ended
    answered = Tuple()  # (answered, joined) while a prompt is shown, else ()
    can_go_back = Bool(False)
    can_go_next = Bool(False)
    can_reveal = Bool(False)
    can_end = Bool(False)

    def offer(self, choices: list[tuple[str, int]], keep: int | None) -> None:
        """The coach's workshops to choose from: ``keep`` stays chosen while it is offered,
        else the first is chosen (None when there is none)."""
        ids = [workshop_id for _label, workshop_id in choices]
        with self.loading():
            self.choices = choices  # first: a bound list offers a workshop before it is chosen
            self.chosen = keep if keep in ids else (ids[0] if ids else None)

    def show(self, workshop: Workshop | None, result: Aggregate | None = None) -> None:
        """The chosen workshop as read (None: there is none) and its shown prompt's answers
        (None before the first prompt); the reveal shows what is stored. Observers see the
        three together."""
        with self.loading(), self.hold_trait_notifications():
            self.workshop = workshop
            self.result = result
            self.results_shown = workshop is not None and workshop.results_shown

    @property
    def polling(self) -> bool:
        """Whether the page follows the room: the Present tab open on a running workshop."""
        return self.tab == PRESENT_TAB and self.workshop is not None and not self.workshop.ended

    @observe("workshop", "result")
    def _derive(self, _change) -> None:
        workshop = self.workshop
        running = workshop is not None and not workshop.ended
        shown = workshop is not None and workshop.position >= 0
        self.prompt = workshop.prompts[workshop.position] if shown else None
        self.answered = (self.result.answered, workshop.joined) if shown and self.result else ()
        self.can_go_back = running and workshop.position > 0
        self.can_go_next = running and workshop.position < len(workshop.prompts) - 1
        self.can_reveal = running and shown
        self.can_end = running
