"""Training on tables: ``dendrite train csv`` and ``dendrite predict --csv`` (seed 003's workflow). A CSV file is
read with the standard library (``table``), its columns typed and their scaling and categories learned on the
training rows (``features``), and the network built with that preprocessing as its first layers (``model``),
so the saved ``.keras`` file applies it to new rows by itself. ``command`` holds the two commands."""
from .features import FeaturePlan, TargetPlan, feature_columns, input_name, model_inputs, plan_features, \
    plan_target, split_rows
from .model import build_model, parse_spec
from .table import CSVError, Table, read_csv

__all__ = ["CSVError", "Table", "read_csv", "FeaturePlan", "TargetPlan", "feature_columns", "input_name",
           "model_inputs", "plan_features", "plan_target", "split_rows", "build_model", "parse_spec"]
