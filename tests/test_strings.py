"""dendrite.strings: element-wise on str, bytes, lists and NumPy arrays, returning bytes as TensorFlow does."""
import numpy as np
import pytest

from dendrite import strings


def test_split():
    out = strings.split("hello  big world")
    assert out.dtype == object and out.tolist() == [b"hello", b"big", b"world"]
    # TensorFlow 2.21: split(['', 'a,,b'], sep=',') -> [[b''], [b'a', b'', b'b']]; without sep, '' -> []
    assert strings.split(np.array([b"a,b,,c", b""]), ",") == [[b"a", b"b", b"", b"c"], [b""]]
    assert strings.split(["", " a  b "]) == [[], [b"a", b"b"]]
    assert strings.split([["a b"], ["c"]]) == [[[b"a", b"b"]], [[b"c"]]]
    assert strings.split("a-b-c", "-", maxsplit=1).tolist() == [b"a", b"b-c"]
    with pytest.raises(ValueError, match=r"split: sep must not be empty"):
        strings.split("a", "")


def test_to_number():
    out = strings.to_number(np.array(["1.5", " -2 ", "1e3"]))
    assert out.dtype == np.float32 and out.tolist() == [1.5, -2.0, 1000.0]
    assert strings.to_number([b"7", b"-8"], out_type=np.int64).tolist() == [7, -8]
    scalar = strings.to_number("3", "int32")
    assert scalar.shape == () and scalar.dtype == np.int32 and int(scalar) == 3
    with pytest.raises(ValueError, match=r"to_number: cannot parse b'1.5' as int32"):
        strings.to_number("1.5", "int32")
    with pytest.raises(ValueError, match=r"to_number: 3000000000 is out of range for int32"):
        strings.to_number("3000000000", "int32")
    with pytest.raises(ValueError, match=r"out_type must be one of float32, float64, int32, int64"):
        strings.to_number("1", "uint8")


def test_regex_replace():
    text = np.array(["Hello, World!", "<br />line"], dtype=object)
    assert strings.regex_replace(text, "<br />", " ").tolist() == [b"Hello, World!", b" line"]
    assert strings.regex_replace(text, r"[^a-zA-Z ]", "").tolist() == [b"Hello World", b"br line"]
    assert strings.regex_replace("2024-05", r"(\d+)-(\d+)", r"\2/\1") == b"05/2024"
    assert strings.regex_replace("abc", "b", r"[\0]") == b"a[b]c"
    assert strings.regex_replace("aaa", "a", "b", replace_global=False) == b"baa"
    with pytest.raises(ValueError, match=r"regex_replace: invalid pattern b'\('"):
        strings.regex_replace("x", "(", "")


def test_case_strip_length():
    assert strings.lower(np.array(["AbC", "ÉX"])).tolist() == [b"abc", "Éx".encode()]  # ASCII only by default
    assert strings.lower("ÉX", encoding="utf-8") == "éx".encode()
    assert strings.upper(["ab"]).tolist() == [b"AB"]
    assert strings.strip(np.array([b"  a b \n"])).tolist() == [b"a b"]
    lengths = strings.length(["ab", "é"])
    assert lengths.dtype == np.int32 and lengths.tolist() == [2, 2]
    assert strings.length(["ab", "é"], unit="UTF8_CHAR").tolist() == [2, 1]


def test_join_reduce_join_substr():
    assert strings.join([["a", "b"], ["x", "y"]], separator="-").tolist() == [b"a-x", b"b-y"]
    assert strings.join([["a", "b"], "!"]).tolist() == [b"a!", b"b!"]
    with pytest.raises(ValueError, match=r"join: the inputs must have one shape"):
        strings.join([["a", "b"], ["c"]])
    grid = np.array([["a", "b"], ["c", "d"]])
    assert strings.reduce_join(grid) == b"abcd"
    assert strings.reduce_join(grid, axis=0, separator=",").tolist() == [b"a,c", b"b,d"]
    assert strings.reduce_join(grid, axis=-1, keepdims=True).tolist() == [[b"ab"], [b"cd"]]
    assert strings.substr("hello", 1, 3) == b"ell"
    assert strings.substr("héllo", 1, 2, unit="UTF8_CHAR") == "él".encode()
    assert strings.substr(["hello"], -3, 2).tolist() == [b"ll"]
    with pytest.raises(ValueError, match=r"substr: pos 9 is out of range for a string of length 5"):
        strings.substr("hello", 9, 1)


def test_as_string_and_unicode_decode():
    assert strings.as_string(np.array([1.5, 2.0], np.float32)).tolist() == [b"1.500000", b"2.000000"]
    assert strings.as_string(np.float64(3.14159), precision=2) == b"3.14"
    assert strings.as_string(np.array([3, 42]), width=4, fill="0").tolist() == [b"0003", b"0042"]
    assert strings.as_string(np.array([True, False])).tolist() == [b"true", b"false"]
    assert strings.as_string(np.array([1234.5]), scientific=True).tolist() == [b"1.234500e+03"]
    assert strings.unicode_decode("hé").tolist() == [104, 233]
    assert strings.unicode_decode(["a", "bc"]) == [[97], [98, 99]]


def test_non_strings_are_refused():
    with pytest.raises(TypeError, match=r"lower: expected an array of strings; received dtype float64"):
        strings.lower(np.zeros(2))
    with pytest.raises(TypeError, match=r"strip: expected strings \(str or bytes\); received an element of type int"):
        strings.strip([1, 2])
    with pytest.raises(TypeError, match=r"as_string: expected numbers or bools"):
        strings.as_string(np.array(["a"]))
