"""Reading a user's own CSV file: refusals with their line, inference with its reason, encodings,
the split and the standardisation, and the shipped example files training."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import losstui
from losstui.core.csv_data import MAX_CELLS, CsvData, CsvError, read_csv
from losstui.core.problems import PROBLEMS
from losstui.core.trainer import TrainConfig, Trainer

EXAMPLES = Path(losstui.__file__).parent / "content" / "data"


def write(tmp_path: Path, text: str, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def table(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def numeric_rows(n: int = 30, target: str = "{y}") -> list[str]:
    """Rows "x1,x2,target" with a linear target by default."""
    rng = np.random.default_rng(5)
    out = []
    for _ in range(n):
        a, b = rng.normal(size=2)
        y = 1.5 * a - b + 0.1 * rng.normal()
        out.append(f"{a:.3f},{b:.3f}," + target.format(y=f"{y:.3f}", a=a, b=b))
    return out


def refusal(path: Path, **kw: object) -> str:
    with pytest.raises(CsvError) as info:
        read_csv(path, **kw)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert isinstance(info.value, ValueError)
    return message


# -- refusals --------------------------------------------------------------------------------


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert refusal(tmp_path / "none.csv") == f"{tmp_path / 'none.csv'}: no such file"
    assert "is a directory" in refusal(tmp_path)


def test_empty_and_header_only(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "")).endswith(": the file is empty")
    assert refusal(write(tmp_path, "\n \n", "blank.csv")).endswith(": the file is empty")
    msg = refusal(write(tmp_path, "x,y\n", "head.csv"))
    assert msg.endswith("a header row but no data rows")


def test_text_in_a_numeric_column_names_line_and_column(tmp_path: Path) -> None:
    rows = numeric_rows(20)
    rows[12] = "0.5,abc,1.0"
    p = write(tmp_path, table("x1,x2,y", rows))
    # header is line 1, so row 12 (0-based) is line 14
    assert refusal(p) == f"{p}:14: column 'x2': 'abc' is not a number"


def test_text_in_a_numeric_target(tmp_path: Path) -> None:
    rows = numeric_rows(20)
    rows[3] = "0.5,0.2,oops"
    p = write(tmp_path, table("x1,x2,y", rows))
    assert refusal(p) == f"{p}:5: column 'y': 'oops' is not a number"


def test_ragged_rows(tmp_path: Path) -> None:
    rows = numeric_rows(20)
    rows[6] = "0.5,0.2"
    p = write(tmp_path, table("x1,x2,y", rows))
    assert refusal(p) == (
        f"{p}:8: 2 fields, but the header has 3; each row needs one value per column"
    )


def test_a_single_class(tmp_path: Path) -> None:
    p = write(tmp_path, table("x,label", [f"{i},yes" for i in range(20)]))
    msg = refusal(p)
    assert "column 'label'" in msg
    assert "one class" in msg


def test_fewer_than_ten_rows(tmp_path: Path) -> None:
    p = write(tmp_path, table("x1,x2,y", numeric_rows(9)))
    assert refusal(p) == f"{p}: 9 usable rows; at least 10 are needed to train and validate"


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    text = table("x,city", [f"{i},Paris" for i in range(12)] + ["3,Z\xfcrich", "4,Bern"])
    p = write(tmp_path, text, encoding="latin-1")
    msg = refusal(p)
    assert msg.startswith(f"{p}:14: not UTF-8")
    assert "0xfc" in msg


def test_identifier_column_is_refused_naming_features(tmp_path: Path) -> None:
    rows = [f"id{i},{i % 7}.5,{i % 3}.25" for i in range(40)]
    p = write(tmp_path, table("name,x,y", rows))
    msg = refusal(p)
    assert "column 'name' is text with 40 distinct values" in msg
    assert "identifier" in msg
    assert "--features x" in msg
    # naming the inputs leaves it out
    assert read_csv(p, features="x").features == ("x",)


def test_over_the_cell_limit(tmp_path: Path) -> None:
    n = MAX_CELLS // 2 + 1
    p = write(tmp_path, "x,y\n" + "1,2\n" * n)
    msg = refusal(p)
    assert "1,000,000 cells" in msg


def test_missing_values_refused_then_dropped(tmp_path: Path) -> None:
    rows = numeric_rows(30)
    rows[4] = "NA,0.3,1.0"
    rows[9] = "0.1,,2.0"
    rows[20] = "0.1,0.2,NaN"
    p = write(tmp_path, table("x1,x2,y", rows))
    msg = refusal(p)
    assert msg.startswith(f"{p}:6: column 'x1': 3 missing values")
    assert "in 3 rows" in msg
    assert "--drop-missing" in msg
    data = read_csv(p, drop_missing=True)
    assert data.n_rows == 27
    assert data.dataset.n_train + data.dataset.n_val == 27
    assert any("3 rows with missing values dropped (the first at line 6)" in n for n in data.notes)


def test_missing_values_in_unused_columns_do_not_count(tmp_path: Path) -> None:
    rows = [f"{r},NA" for r in numeric_rows(20)]
    p = write(tmp_path, table("x1,x2,y,notes", rows))
    assert read_csv(p, target="y", features=["x1", "x2"]).n_rows == 20


def test_unknown_target_and_features_list_the_columns(tmp_path: Path) -> None:
    p = write(tmp_path, table("x1,x2,y", numeric_rows(20)))
    assert refusal(p, target="z") == f"{p}: no column 'z'; columns: x1, x2, y"
    assert refusal(p, features=["x1", "x3"]) == f"{p}: no column 'x3'; columns: x1, x2, y"
    assert "is the target" in refusal(p, features="x1,y")


def test_unknown_or_unsupported_problem(tmp_path: Path) -> None:
    p = write(tmp_path, table("x1,x2,y", numeric_rows(20)))
    assert "unknown problem 'nope'; allowed: regression" in refusal(p, problem="nope")
    assert "more than one target column" in refusal(p, problem="multilabel_classification")


def test_overrides_that_do_not_fit_the_target(tmp_path: Path) -> None:
    p = write(tmp_path, table("x1,x2,y", numeric_rows(20)))
    assert "exactly two" in refusal(p, problem="binary_classification")
    assert "not class labels" in refusal(p, problem="multiclass_classification")
    assert "needs counts" in refusal(p, problem="count_regression")
    text = write(tmp_path, table("x,c", [f"{i},{'abc'[i % 3]}" for i in range(20)]), "t.csv")
    assert "numeric target" in refusal(text, problem="regression")


def test_no_header_row(tmp_path: Path) -> None:
    p = write(tmp_path, table("1.0,2.0,3.0", numeric_rows(20)))
    assert refusal(p) == f"{p}:1: the first row holds numbers, not column names; add a header row"


def test_duplicate_column_names(tmp_path: Path) -> None:
    p = write(tmp_path, table("x,x,y", numeric_rows(20)))
    assert refusal(p) == f"{p}:1: column 'x' appears twice in the header"


# -- inference -------------------------------------------------------------------------------


def infer(tmp_path: Path, ys: list[str], **kw: object) -> CsvData:
    rows = [f"{i * 0.1:.1f},{y}" for i, y in enumerate(ys)]
    return read_csv(write(tmp_path, table("x,target", rows)), **kw)  # type: ignore[arg-type]


def test_two_values_are_binary(tmp_path: Path) -> None:
    data = infer(tmp_path, ["no", "yes"] * 10)
    assert data.problem == "binary_classification"
    assert data.reason.startswith("'target' takes two values, 'no', 'yes': binary")
    assert data.dataset.target_names == ("no", "yes")
    assert data.dataset.y_train.shape == (data.dataset.n_train, 1)
    assert set(np.unique(data.dataset.y_train)) == {0.0, 1.0}
    numeric = infer(tmp_path, ["0", "1"] * 10)
    assert numeric.problem == "binary_classification"
    assert numeric.dataset.target_names == ("0", "1")


def test_class_names_are_multiclass_and_kept(tmp_path: Path) -> None:
    data = infer(tmp_path, ["cat", "dog", "bird"] * 8)
    assert data.problem == "multiclass_classification"
    assert "3 class names ('bird', 'cat', 'dog')" in data.reason
    ds = data.dataset
    assert ds.kind == "multiclass"
    assert ds.n_classes == 3
    assert ds.target_names == ("bird", "cat", "dog")
    assert ds.y_train.dtype == np.int64
    assert ds.y_train.ndim == 1


def test_a_few_integers_are_multiclass(tmp_path: Path) -> None:
    data = infer(tmp_path, [str(i % 4 + 1) for i in range(24)])
    assert data.problem == "multiclass_classification"
    assert "4 whole numbers (1, 2, 3, 4), read as class labels" in data.reason
    assert data.dataset.target_names == ("1", "2", "3", "4")


def test_many_nonnegative_integers_are_counts(tmp_path: Path) -> None:
    data = infer(tmp_path, [str(i % 25) for i in range(50)])
    assert data.problem == "count_regression"
    assert "whole numbers ≥ 0 with 25 values, from 0 to 24: counts" in data.reason
    assert data.dataset.kind == "count"
    assert data.dataset.nonnegative_targets


def test_orders_of_magnitude_are_wide_range(tmp_path: Path) -> None:
    data = infer(tmp_path, [f"{10 ** (i / 10):.3f}" for i in range(1, 40)])
    assert data.problem == "wide_range_regression"
    assert "spans 3.8 orders of magnitude" in data.reason


def test_real_numbers_are_regression(tmp_path: Path) -> None:
    data = infer(tmp_path, [f"{math.sin(i):.3f}" for i in range(30)])
    assert data.problem == "regression"
    assert "real numbers from" in data.reason
    assert "regression" in data.reason
    assert data.dataset.kind == "regression"


def test_problem_override(tmp_path: Path) -> None:
    data = infer(tmp_path, [str(i % 4) for i in range(24)], problem="count_regression")
    assert data.problem == "count_regression"
    assert data.reason.startswith("count_regression, as asked")
    robust = infer(tmp_path, [f"{math.sin(i):.3f}" for i in range(30)], problem="robust_regression")
    assert robust.problem == "robust_regression"
    assert robust.dataset.kind == "regression"


def test_density_estimation_takes_one_column(tmp_path: Path) -> None:
    rows = [f"{math.sin(i) + 2:.3f}" for i in range(30)]
    p = write(tmp_path, table("height", rows))
    data = read_csv(p, problem="density_estimation", target="height")
    assert data.problem == "density_estimation"
    assert data.dataset.kind == "density"
    assert data.dataset.x_train.shape == (data.dataset.n_train, 0)
    assert data.dataset.y_train.shape == (data.dataset.n_train, 1)
    # without the problem, one column has nothing to learn from
    assert "density_estimation" in refusal(p)


# -- real files --------------------------------------------------------------------------------


def test_r_style_row_names_quoted_header(tmp_path: Path) -> None:
    rows = [f'"{i + 1}",{r}' for i, r in enumerate(numeric_rows(20))]
    data = read_csv(write(tmp_path, table('"","x1","x2","y"', rows)))
    assert data.features == ("x1", "x2")
    assert data.notes[0] == "Row names (an unnamed first column) left out."


def test_rownames_column_and_write_table_header(tmp_path: Path) -> None:
    rows = [f"r{i},{r}" for i, r in enumerate(numeric_rows(20))]
    data = read_csv(write(tmp_path, table("rownames,x1,x2,y", rows)))
    assert data.features == ("x1", "x2")
    assert "'rownames'" in data.notes[0]
    # R's write.table: the header has no field for the row names
    short = read_csv(write(tmp_path, table("x1,x2,y", rows), "short.csv"))
    assert short.features == ("x1", "x2")
    assert short.target == "y"


def test_semicolons_decimal_commas_and_a_bom(tmp_path: Path) -> None:
    rows = [r.replace(",", ";").replace(".", ",") for r in numeric_rows(20)]
    text = "\ufeff" + table("x1;x2;y", rows)
    data = read_csv(write(tmp_path, text))
    assert data.features == ("x1", "x2")
    assert data.target == "y"
    plain = read_csv(write(tmp_path, table("x1,x2,y", numeric_rows(20)), "plain.csv"))
    assert np.allclose(data.dataset.y_train, plain.dataset.y_train)


def test_one_hot_inputs_are_named(tmp_path: Path) -> None:
    colours = ["red", "green", "blue"]
    rows = [f"{colours[i % 3]},{i * 0.1:.1f},{i % 3 + 0.5 * i}" for i in range(30)]
    data = read_csv(write(tmp_path, table("colour,x,y", rows)))
    ds = data.dataset
    assert ds.feature_names == ("colour=blue", "colour=green", "colour=red", "x")
    assert "Text column 'colour' one-hot encoded as blue, green, red." in data.notes
    assert ds.n_features == 4


# -- split and standardisation ---------------------------------------------------------------


def test_standardised_with_the_training_split_only(tmp_path: Path) -> None:
    p = write(tmp_path, table("x1,x2,y", numeric_rows(60)))
    data = read_csv(p)
    ds = data.dataset
    assert np.allclose(ds.x_train.mean(axis=0), 0.0)
    assert np.allclose(ds.x_train.std(axis=0), 1.0)
    assert not np.allclose(ds.x_val.mean(axis=0), 0.0)
    raw = np.loadtxt(p, delimiter=",", skiprows=1)[:, :2]
    restored = np.vstack([ds.x_train, ds.x_val]) * data.x_std + data.x_mean
    assert np.allclose(np.sort(restored, axis=0), np.sort(raw, axis=0))


def test_split_is_seeded_and_stratified(tmp_path: Path) -> None:
    ys = ["a"] * 60 + ["b"] * 30 + ["c"] * 12
    rows = [f"{i * 0.01:.2f},{y}" for i, y in enumerate(ys)]
    p = write(tmp_path, table("x,label", rows))
    one, again, other = read_csv(p, seed=3), read_csv(p, seed=3), read_csv(p, seed=4)
    assert np.array_equal(one.dataset.x_train, again.dataset.x_train)
    assert np.array_equal(one.dataset.y_val, again.dataset.y_val)
    assert not np.array_equal(one.dataset.x_train, other.dataset.x_train)
    for data in (one, other):
        counts = np.bincount(data.dataset.y_val, minlength=3)
        assert counts.tolist() == [20, 10, 4]
        assert data.dataset.n_train == 68


# -- the example files -------------------------------------------------------------------------

EXPECTED = {
    "house_prices.csv": "regression",
    "penguins.csv": "multiclass_classification",
    "bike_counts.csv": "count_regression",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_read_and_train(name: str) -> None:
    data = read_csv(EXAMPLES / name, drop_missing=True)
    assert data.problem == EXPECTED[name]
    config = TrainConfig.default_for(data.problem).replace(model="linear", lr=0.01)
    assert PROBLEMS[data.problem].kind == data.dataset.kind
    trainer = Trainer(config, data.dataset)
    first = trainer.evaluate()["val_loss"]
    trainer.step(60)
    last = trainer.evaluate()["val_loss"]
    assert not trainer.diverged
    assert math.isfinite(last)
    assert last < first


def test_examples_show_their_features() -> None:
    houses = read_csv(EXAMPLES / "house_prices.csv")
    assert "Row names (an unnamed first column) left out." in houses.notes
    assert "district=centre" in houses.dataset.feature_names
    penguins = read_csv(EXAMPLES / "penguins.csv", drop_missing=True)
    assert penguins.dataset.target_names == ("Adelie", "Chinstrap", "Gentoo")
    assert "missing values" in refusal(EXAMPLES / "penguins.csv")


def test_examples_are_made_by_the_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for name in EXPECTED:
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes()


def test_dropping_too_many_rows_says_so(tmp_path: Path) -> None:
    rows = numeric_rows(12)
    for i in range(5):
        rows[i] = "NA,0.1,0.2"
    p = write(tmp_path, table("x1,x2,y", rows))
    assert refusal(p, drop_missing=True) == (
        f"{p}: 7 usable rows once the rows with missing values are dropped; at least 10 are "
        "needed to train and validate"
    )


def test_classes_too_small_to_stratify_still_split(tmp_path: Path) -> None:
    data = infer(tmp_path, [str(i % 10) for i in range(10)])
    assert data.problem == "multiclass_classification"
    assert data.dataset.n_val >= 2
    assert data.dataset.n_train + data.dataset.n_val == 10


def test_a_broken_quote_or_nul_is_one_line(tmp_path: Path) -> None:
    rows = numeric_rows(20)
    rows[2] = "0.1,0\x00,1.0"
    p = write(tmp_path, table("x1,x2,y", rows))
    assert refusal(p).startswith(f"{p}:4: ")
    named = write(tmp_path, table('"x\n1",x2,y', numeric_rows(20)), "named.csv")
    assert "columns: x 1, x2, y" in refusal(named, target="z")
