"""Pilot tests of the Train pane's settings column, driven by keys at 80x24: an inline error
shows one at a time and goes once it is stale, and a batch larger than the data is explained."""

from __future__ import annotations

from textual.widgets import Input

from losstui.tui.app import LossApp
from losstui.tui.widgets.train_controls import FIELDS, TrainControls
from tests.app_helpers import flat, notifications, pane_ready, screen_text, widget_text

LR_REASON = "learning rate must be a number > 0 and at most 1e+09, got 'abc'; kept 0.05"
FULL_BATCH = "each step uses them all (full-batch gradient descent)"


async def _open_column(pilot) -> None:
    """The Train pane with the keys in the settings column (hidden by default at 80 columns)."""
    await pilot.press("3")
    await pane_ready(pilot, pilot.app, "train")
    await pilot.press("c")
    await pilot.pause()


async def _tab_to(pilot, field: str) -> None:
    """Tab forward until `field` has the keys, as a student would."""
    widget = pilot.app.query_one(f"#field-{field}")
    for _ in range(len(FIELDS) + 2):
        if widget.has_focus:
            return
        await pilot.press("tab")
    assert widget.has_focus, f"tab never reached {field}"


async def _type(pilot, text: str, *then: str) -> None:
    await pilot.press(*text, *then)
    await pilot.pause()


def _errors(app) -> dict[str, str]:
    """The errors on show, by field, as the screen reads them."""
    controls = app.query_one(TrainControls)
    return {
        field: widget_text(app, f"#error-{field}") for field, _ in FIELDS if controls.error(field)
    }


async def test_an_error_goes_when_its_field_is_left_and_the_column_keeps_its_fields():
    # The reviewer's run: two refused values used to leave two wrapped reasons, and the fields
    # below them were pushed off an 80x24 screen.
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_column(pilot)
        await _tab_to(pilot, "lr")
        await _type(pilot, "abc", "enter")
        assert _errors(app) == {"lr": LR_REASON}
        assert app.query_one("#field-lr", Input).value == "0.05"
        await pilot.press("tab")  # leaving the field: the reason goes, the kept value stays
        await pilot.pause()
        assert _errors(app) == {}
        assert app.state.config.lr == 0.05
        await _type(pilot, "1", "enter")  # momentum
        assert list(_errors(app)) == ["momentum"]
        assert "got '1'; kept 0.9" in _errors(app)["momentum"]
        assert app.state.config.momentum == 0.9
        await pilot.press("tab")
        await _type(pilot, "100000", "enter")  # batch size: accepted
        assert _errors(app) == {}
        assert app.state.config.batch_size == 100000
        text = screen_text(app)
        for heading in ("Learning rate", "Momentum", "Batch size", "Initial weight scale"):
            assert heading in text


async def test_one_error_at_a_time_an_applied_setting_clears_it_and_a_large_batch_is_explained():
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_column(pilot)
        await _tab_to(pilot, "lr")
        await _type(pilot, "abc", "tab")  # leaving submits what was typed: it is refused
        assert app.query_one("#field-momentum").has_focus
        assert _errors(app) == {"lr": LR_REASON}  # said, though the field was left
        await _type(pilot, "2", "enter")  # a second refusal replaces the first
        assert list(_errors(app)) == ["momentum"]
        await _type(pilot, "0.5", "enter")
        assert app.state.config.momentum == 0.5
        assert _errors(app) == {}
        await pilot.press("shift+tab")
        await _type(pilot, "abc", "tab", "tab")  # refused on the way to the batch size
        assert app.query_one("#field-batch_size").has_focus
        assert _errors(app) == {"lr": LR_REASON}
        await _type(pilot, "64", "enter")  # another setting applied: the old reason goes
        assert app.state.config.batch_size == 64
        assert _errors(app) == {}
        assert (app.state.config.lr, app.state.config.momentum) == (0.05, 0.5)
        # A batch larger than the training data is explained, once the column is opened again.
        await pilot.press("escape")
        await _open_column(pilot)
        n_train = app.state.trainer.dataset.n_train
        await _tab_to(pilot, "batch_size")
        await _type(pilot, "100000", "enter")  # at step 0: nothing restarts, the note still
        assert notifications(app)[-1] == (
            f"batch size 100000 is more than the {n_train:,} training points: {FULL_BATCH}"
        )
        app.state.step(3)
        await _type(pilot, "200000", "enter")
        assert notifications(app)[-1] == (
            "batch size 200000: training restarts from step 0. "
            f"That is more than the {n_train:,} training points: {FULL_BATCH}"
        )
        await pilot.press("escape", "n")  # one step is one epoch: the note said why
        await pilot.pause()
        assert "step 1  epoch 1.0" in screen_text(app)
        count = len(notifications(app))
        await pilot.press("c")
        await _tab_to(pilot, "batch_size")
        await _type(pilot, str(n_train), "enter")  # the whole set, not more: no note
        assert all(FULL_BATCH not in m for m in notifications(app)[count:])


async def test_a_refused_loss_goes_when_the_list_is_left():
    app = LossApp(problem="binary_classification")
    async with app.run_test(size=(120, 40)) as pilot:  # the column stays open after esc here
        await pilot.press("3")
        await pane_ready(pilot, app, "train")
        await pilot.press("c")
        await _tab_to(pilot, "loss")
        await _type(pilot, "", "enter")
        await _type(pilot, "KL", "enter")  # type to search the list, then choose
        assert list(_errors(app)) == ["loss"]
        assert _errors(app)["loss"].startswith("KL divergence cannot run here")
        assert app.state.config.loss == "binary_cross_entropy"
        await _type(pilot, "", "escape")
        assert _errors(app) == {}
        assert app.query_one(TrainControls).display
        assert "Binary cross-entropy" in widget_text(app, "#field-loss")


async def test_c_shows_the_first_field_after_a_scroll_and_esc_with_a_refused_value_says_why():
    # Scrolled down, closed with esc (80 columns), opened again with c: the keys were in the
    # Dataset list, but its heading and ▶ sat above the column's top edge.
    app = LossApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "c")
        await pilot.pause()
        controls = app.query_one(TrainControls)
        controls.scroll_to(y=6, animate=False, immediate=True)
        await pilot.press("escape", "c")
        await pilot.pause()
        await pilot.pause()
        label = controls.query_one("#label-dataset")
        assert app.focused is not None
        assert app.focused.id == "field-dataset"
        assert controls.region.contains_region(label.region)
        assert "▶ Dataset" in screen_text(app)
        # esc closes the column, and with a refused value it says why though the column closes.
        await pilot.press("escape")
        await _open_column(pilot)
        await _tab_to(pilot, "lr")
        await _type(pilot, "abc", "escape")
        controls = app.query_one(TrainControls)
        assert not controls.display  # c opened it on a narrow terminal; esc closed it
        assert LR_REASON in notifications(app)
        assert app.state.config.lr == 0.05
        await pilot.press("c")  # the reason waits under its field
        await pilot.pause()
        assert LR_REASON in flat(controls.error("lr"))
