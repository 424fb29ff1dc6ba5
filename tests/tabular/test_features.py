"""tabular.features: column typing, scaling and categories learned on the training rows only, the target's
task and classes, the split."""
import numpy as np
import pytest

from dendrite.tabular import CSVError, feature_columns, input_name, model_inputs, plan_features, plan_target, \
    read_csv, split_rows


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("size,weight,colour,label\n1,10,red,a\n2,30,blue,b\n3,20,red,a\n5,40,green,b\n")
    return read_csv(path)


def test_numeric_and_categorical_columns(table):
    assert feature_columns(table, "label") == (["size", "weight"], ["colour"])
    assert feature_columns(table, "label", ignore=["weight"]) == (["size"], ["colour"])
    with pytest.raises(CSVError, match="no column to ignore 'height'"):
        feature_columns(table, "label", ignore=["height"])


def test_minmax_and_standard_scaling_are_learned_on_the_given_rows_only(table):
    train = table.take([0, 1, 2])  # row 3 (size 5, weight 40) held out: it must not move the statistics
    plan = plan_features(train, ["size", "weight"], ["colour"], "minmax")
    assert plan.mean.tolist() == [1.0, 10.0] and plan.variance.tolist() == [4.0, 400.0]  # min, range**2
    assert plan.categorical == {"colour": ["blue", "red"]}  # 'green' is only in the held-out row
    plan = plan_features(train, ["size", "weight"], [], "standard")
    np.testing.assert_allclose(plan.mean, [2.0, 20.0])
    np.testing.assert_allclose(plan.variance, [np.var([1, 2, 3]), np.var([10, 30, 20])])
    with pytest.raises(ValueError, match="`scaling` must be one of \\('minmax', 'standard'\\)"):
        plan_features(train, ["size"], [], "robust")


def test_a_constant_column_is_shifted_not_divided_by_zero(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("k,y\n7,1\n7,2\n")
    plan = plan_features(read_csv(path), ["k"], [], "minmax")
    assert plan.mean.tolist() == [7.0] and plan.variance.tolist() == [1.0]


def test_model_inputs_are_one_column_each_named_for_the_model(table):
    feed = model_inputs(table, ["size"], ["colour"])
    assert sorted(feed) == ["colour", "size"]
    assert feed["size"].dtype == np.float32 and feed["size"].shape == (4, 1)
    assert feed["colour"][:, 0].tolist() == ["red", "blue", "red", "green"]
    assert input_name("fixed acidity") == "fixed_acidity" and input_name(" pH (x)") == "pH_x"


def test_free_text_cannot_be_one_hot_encoded(tmp_path):
    path = tmp_path / "text.csv"
    rows = "".join(f"{i},comment number {i},{i % 2}\n" for i in range(30))
    path.write_text("x,note,y\n" + rows)
    with pytest.raises(CSVError, match="column 'note' is not numeric and has 30 distinct values in 30 rows .* "
                                       "--ignore 'note'"):
        feature_columns(read_csv(path), "y")
    assert feature_columns(read_csv(path), "y", ignore=["note"]) == (["x"], [])


def test_two_columns_with_one_input_name_are_refused(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("a b,a-b,y\n1,2,3\n4,5,6\n")
    with pytest.raises(CSVError, match="columns 'a b' and 'a-b' both become the model input 'a_b'"):
        feature_columns(read_csv(path), "y")


def test_target_task_and_classes(table, tmp_path):
    target = plan_target(table, "label")
    assert (target.task, target.classes) == ("classification", ["a", "b"])
    assert target.encode(table).tolist() == [0, 1, 0, 1]
    numbers = plan_target(table, "size", "classification")
    assert numbers.classes == ["1", "2", "3", "5"] and numbers.encode(table).tolist() == [0, 1, 2, 3]
    assert plan_target(table, "weight").task == "regression"
    with pytest.raises(CSVError, match="regression needs a numeric target, but column 'label' holds 'a'"):
        plan_target(table, "label", "regression")
    path = tmp_path / "one.csv"
    path.write_text("x,y\n1,5\n2,5.0\n")
    with pytest.raises(CSVError, match="the target 'y' has a single class \\('5'\\) in all 2 rows"):
        plan_target(read_csv(path), "y", "classification")


def test_split_is_disjoint_seeded_and_holds_out_the_share():
    train, val = split_rows(10, 0.3, seed=0)
    assert len(train) == 7 and len(val) == 3 and not set(train) & set(val)
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(10))
    again = split_rows(10, 0.3, seed=0)
    assert again[0].tolist() == train.tolist()
    assert split_rows(10, 0.3, seed=1)[1].tolist() != val.tolist()  # the seed picks the rows
    with pytest.raises(CSVError, match="needs at least 2"):
        split_rows(1, 0.3)
    with pytest.raises(ValueError, match="between 0 and 1"):
        split_rows(10, 1.5)
