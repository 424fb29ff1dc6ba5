"""tabular.table: reading CSV files into columns: the delimiter, typing, and each unusable file refused with
a message that says where and what to do."""
import numpy as np
import pytest

from dendrite.tabular import CSVError, read_csv


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_reads_columns_by_name_and_types_them(tmp_path):
    table = read_csv(write(tmp_path, "a,b,colour\n1,2.5,red\n3,-4e-1,blue\n\n"))
    assert table.names == ["a", "b", "colour"] and len(table) == 2
    assert table.numbers("b").tolist() == [2.5, -0.4]
    assert table.is_numeric("a") and not table.is_numeric("colour")
    assert table.strings("colour").tolist() == ["red", "blue"]
    assert table.take([1, 0]).cells["colour"] == ["blue", "red"]


def test_semicolons_tabs_quotes_and_a_byte_order_mark(tmp_path):
    # the UCI wine file is ';'-separated with quoted names
    table = read_csv(write(tmp_path, '\ufeff"fixed acidity";"quality"\n7.4;5\n7.8;6\n'))
    assert table.names == ["fixed acidity", "quality"]
    assert table.numbers("quality").tolist() == [5.0, 6.0]
    assert read_csv(write(tmp_path, "x\ty\n1\t2\n", "t.tsv")).numbers("y").tolist() == [2.0]


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty"),
    ("  \n\n", "the file is empty"),
    ("a,b\n", "a header but no rows"),
    ("a,b\n1,2\n3\n", "line 3 has 1 cells but the header names 2 columns"),
    ("a,a\n1,2\n", "names \\['a'\\] more than once"),
    ("a,,c\n1,2,3\n", "column 2 of the header has no name"),
])
def test_unusable_files_are_refused_with_where_and_why(tmp_path, text, message):
    with pytest.raises(CSVError, match=message):
        read_csv(write(tmp_path, text))


def test_missing_file_and_unknown_column(tmp_path):
    with pytest.raises(CSVError, match="no such file"):
        read_csv(tmp_path / "nope.csv")
    table = read_csv(write(tmp_path, "a,b\n1,2\n"))
    with pytest.raises(CSVError, match="no target column 'c'; the header names \\['a', 'b'\\]"):
        table.column("c", "target column")


def test_infinite_and_text_cells_in_a_numeric_use(tmp_path):
    table = read_csv(write(tmp_path, "a,b\n1,inf\n2,x\n"))
    assert table.numbers("b", strict=False) is None
    with pytest.raises(CSVError, match="column 'b' must be numeric here; it holds 'x'"):
        table.numbers("b")
    table = read_csv(write(tmp_path, "a\n1\ninf\n"))
    with pytest.raises(CSVError, match="holds 'inf' \\(row 2 of the values\\), not a finite number"):
        table.numbers("a")
    assert np.isfinite(read_csv(write(tmp_path, "a\n1e3\n")).numbers("a")).all()


@pytest.mark.parametrize("text, column, message", [
    ("a,b\n1,2\n3,\n", "b", "line 3, column 'b' is missing \\(NaN: ''\\)"),
    ("a,b\n1,NaN\n", "b", "line 2, column 'b' is missing \\(NaN: 'NaN'\\)"),
    ("a,b\nNA,x\nb,y\n", "a", "line 2, column 'a' is missing \\(NaN: 'NA'\\)"),
])
def test_a_missing_cell_is_refused_when_its_column_is_used(tmp_path, text, column, message):
    table = read_csv(write(tmp_path, text))
    other = [n for n in table.names if n != column][0]
    assert len(table.column(other)) == len(table)  # the other column is usable
    for use in (table.numbers, table.strings, table.is_numeric, table.column):
        with pytest.raises(CSVError, match=message):
            use(column)
    with pytest.raises(CSVError, match=message):
        table.take([0]).column(column)
