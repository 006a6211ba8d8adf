"""Provides the lesson panel: the step's text, live values, the question, and why Next waits."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static

from losstui.lessons.runner import SLICE_SECONDS, LessonRun
from losstui.tui.glyphs import UNICODE, Glyphs
from losstui.tui.widgets.answer_list import AnswerList
from losstui.tui.widgets.lesson_text import LessonText
from losstui.tui.widgets.more_below import MoreBelow

#: The keys a lesson adds, as the panel's last line shows them.
KEYS = "> next  < back  h hint  e enlarge  x leave"
#: The same, for a status line that has a message to show first.
SHORT_KEYS = "> < h e x"


class LessonPanel(Vertical):
    """A strip under the panes: "Lesson · step 3 of 9" and the title, the step's prose with its
    placeholders filled from the state, the step's question and its answers (a letter, or ↑/↓
    and enter, chooses one), and a line that says what Next waits for, the hint, or the
    answer's feedback.

    It renders the app's `LessonRun` and the state; the app's keys move the run.
    """

    class Answered(Message):
        """The student chose an answer to the step's question (the app keeps it)."""

    def __init__(self, run: LessonRun, glyphs: Glyphs = UNICODE, instructor: bool = False) -> None:
        super().__init__(id="lesson-panel")
        self.run = run
        self.glyphs = glyphs
        self.instructor = instructor
        self.message = ""
        self._said_blocked = False
        #: Whether > was refused on this step: its live reason then shows in bold.
        self._refused = False
        self._shown: tuple[int, str] | None = None
        #: Whether training moved on since the step was drawn and the live values wait for the
        #: pane on show to redraw (`pane_drawn`).
        self._behind = False
        #: While the step is set up (its run trained as before), the timer that trains it in
        #: slices: keys are answered between them (q, <, >).
        self._settler: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-head")
        with VerticalScroll(id="lesson-body"):
            yield LessonText(id="lesson-text")
            yield Static(id="lesson-notes")
            yield Static(id="lesson-question")
            yield AnswerList(id="lesson-choices")
            # No key scrolls the strip's prose: e enlarges it, and the mouse wheel scrolls it.
            yield MoreBelow(self._scroll_how(), self.glyphs)
        yield Static(id="lesson-status")

    def on_mount(self) -> None:
        self.run.state.subscribe(self._changed)
        self.refresh_step()
        # A lesson that opens on a question takes the arrows at once.
        self.call_after_refresh(self.focus_choices)

    def on_resize(self) -> None:
        self._status()  # the keys' line is long or short by the width
        self.query_one(MoreBelow).say(self._scroll_how())  # e enlarged or shrank the strip

    def _scroll_how(self) -> str:
        enlarged = self.parent is not None and self.parent.has_class("-enlarged")
        return "the mouse wheel scrolls" if enlarged else "e enlarges"

    def on_unmount(self) -> None:
        self.run.state.unsubscribe(self._changed)

    def _changed(self, event) -> None:
        if event.parts <= {"progress"} and self.run.state.running:
            # While training runs, the live values refresh when the pane on show redraws its
            # numbers (the Train pane's stats line four times a second, once on a slow link), so
            # the strip and the pane quote the same step: the screen calls `pane_drawn` then.
            self._behind = True
            return
        self.refresh_step()

    def pane_drawn(self) -> None:
        """The pane on show redrew for a change of the state: the live values follow it if
        training moved on since they were drawn. A pane's message, which the screen passes on,
        comes after both the pane and this strip have had the change, whichever subscribed to
        the state first."""
        if self._behind and self.is_attached:
            self.refresh_step()

    def say(self, message: str) -> None:
        """Show `message` on the status line (a refusal, the hint, an answer's feedback)."""
        self.message = message
        # A message said while Next was refused (a refusal, the hint) gives way to "Done" once
        # the step is done; one said after (an answer's feedback) stays.
        self._said_blocked = self.run.blocked() is not None
        self._status()

    def say_refused(self) -> None:
        """> was refused: the status line's live reason ("… (now 93)") in bold, not a copy of
        it that would go stale while the student trains on."""
        self.message = ""
        self._refused = True
        self._status()

    def _settle(self) -> None:
        """One slice of setting up the step; once it is set up, the step drawn as it is."""
        if self.run.settle(SLICE_SECONDS):
            if self._settler is not None:
                self._settler.stop()
                self._settler = None
            self.refresh_step()
            self._say_answer()  # said while the step was set up, it gave way to the wait

    def refresh_step(self) -> None:
        """Draw the current step: a new step resets the list and the message."""
        run, g = self.run, self.glyphs.text
        self._behind = False
        if run.settling and self._settler is None:
            self._settler = self.set_interval(SLICE_SECONDS, self._settle)
        self.query_one("#lesson-head", Static).update(
            Text.assemble(
                (f" Lesson · step {run.index + 1} of {run.count}", "bold reverse"),
                (f"  {g(run.lesson.title)}", "bold"),
            )
        )
        text = self.glyphs.markdown(run.text())
        key = (run.index, text)
        if key != self._shown:
            new_step = self._shown is None or self._shown[0] != run.index
            self._shown = key
            self.query_one("#lesson-text", LessonText).update(text)
            if new_step:
                self.message = ""
                self._refused = False
                self._step_changed()
                self._say_answer()  # a question answered before says its feedback again
        self._status()

    def _step_changed(self) -> None:
        step, g = self.run.step, self.glyphs.text
        notes = self.query_one("#lesson-notes", Static)
        notes.display = self.instructor and bool(step.notes)
        notes.update(Text("\n".join(f"Notes: {g(n)}" for n in step.notes), style="italic"))
        if self.parent is not None:  # the slot grows for a question (see app.tcss)
            self.parent.set_class(step.ask is not None, "-question")
        question = self.query_one("#lesson-question", Static)
        choices = self.query_one("#lesson-choices", AnswerList)
        question.display = choices.display = step.ask is not None
        if step.ask is not None:
            fill = self.run.fill
            question.update(Text(g(fill(step.ask.prompt)), style="bold"))
            # The answer chosen before (going back, or resuming), else the first answer, so that
            # the student sees the cursor.
            choices.set_answers(
                [g(fill(c.text)) for c in step.ask.choices],
                self.run.answers.get(self.run.index, 0),
            )
        else:
            choices.clear_options()
        self.query_one("#lesson-body", VerticalScroll).scroll_home(animate=False)

    def _status(self) -> None:
        run, g = self.run, self.glyphs.text
        blocked = run.blocked()
        if blocked is None and self._said_blocked:
            self.message = ""
        if self.message:
            line = Text(g(self.message), style="bold")
        elif blocked is None:
            done = "Done. The last step: > finishes the lesson." if run.last else "Done: > goes on."
            line = Text(done, style="bold")
        else:
            if run.step.ask is not None and run.answers.get(run.index) is None:
                blocked += ": a letter, or ↑/↓ and enter"  # say how, the first time
            if self._refused and not blocked.startswith("not yet"):
                blocked = f"not yet: {blocked}"  # > was pressed: say that it was refused
            line = Text(
                g(blocked[:1].upper() + blocked[1:]), style="bold" if self._refused else "italic"
            )
        width = self.size.width
        keys = KEYS if len(line) + 3 + len(KEYS) <= width else SHORT_KEYS
        if width and len(line) + 3 + len(keys) > width:
            # The keys stay whole (x leaves the lesson); a long message gives way, with "…".
            line.truncate(max(1, width - 3 - len(keys)), overflow="ellipsis")
        line.append(f"   {g(keys)}", style="dim")
        self.query_one("#lesson-status", Static).update(line)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        event.stop()
        self.run.answer(int(event.option.id))
        self.refresh_step()  # answered right, the text after its `<!-- then -->` shows
        self._say_answer()
        self.post_message(self.Answered())

    def _say_answer(self) -> None:
        """The feedback on the answer chosen to this step's question."""
        step, chosen = self.run.step, self.run.answers.get(self.run.index)
        if step.ask is None or chosen is None:
            return
        choice = step.ask.choices[chosen]
        mark = "Right" if choice.correct else "Not quite"
        self.say(self.run.fill(choice.feedback) or f"{mark}.")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Keep the highlighted answer in view: the list is as tall as its options, so it is
        the strip's body that scrolls, not the list."""
        choices, body = event.option_list, self.query_one("#lesson-body", VerticalScroll)
        top = choices.virtual_region.y
        try:
            # The option's rows inside the list (OptionList's own bookkeeping, which its
            # scroll_to_highlight reads too; Textual 8 has no public accessor).
            choices._update_lines()
            index = event.option_index
            y, height = choices._index_to_line[index], choices._heights[index]
        except (AttributeError, KeyError, IndexError):
            y, height = 0, choices.outer_size.height
        body.scroll_to_region(
            Region(0, top + y, body.size.width, height), animate=False, immediate=True
        )

    def answer(self, index: int) -> None:
        """Choose answer `index` of the step's question, as ↑/↓ and enter would."""
        self.query_one("#lesson-choices", AnswerList).choose(index)

    def focus_choices(self) -> bool:
        """Focus the question's list if the step asks one; otherwise, if the list of a step
        left behind still has focus, give it back to the pane so the arrows reach it."""
        found = self.query("#lesson-choices").results(AnswerList)
        choices = next(found, None)
        if choices is None:  # taken down (left or reopened in the same burst of keys) first
            return False
        if choices.display:
            choices.focus()
            return True
        focus_pane = getattr(self.screen, "focus_pane", None)  # the main screen's
        if choices.has_focus and focus_pane is not None:
            focus_pane()
        return False
