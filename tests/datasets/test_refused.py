"""imdb and reuters import as in Keras, but their load_data is refused: their Keras files are pickles. The
error says so and what to use instead, both from dendrite.datasets and through the compatibility namespaces;
their word indices, plain JSON files, are read."""
import json

import pytest

import dendrite.compat
import dendrite.datasets


@pytest.mark.parametrize("name, file", [("imdb", "imdb.npz"), ("reuters", "reuters.npz")])
def test_imdb_and_reuters_load_data_say_why_and_what_instead(name, file):
    module = getattr(dendrite.datasets, name)  # importing it is fine (programs that only import it run)
    with pytest.raises(NotImplementedError) as info:
        module.load_data(num_words=10000)
    msg = str(info.value)
    assert msg.startswith(f"dendrite.datasets.{name} is not available: Keras's {file} stores its ")
    assert "numpy object arrays" in msg and "pickles" in msg and "never unpickles" in msg
    assert f"convert {file} once" in msg and "np.load(path, allow_pickle=False)" in msg
    if name == "imdb":
        assert "aclImdb_v1.tar.gz" in msg and "dendrite.utils.text_dataset_from_directory" in msg
        assert "dendrite.layers.TextVectorization" in msg
        assert callable(dendrite.utils.text_dataset_from_directory) and dendrite.layers.TextVectorization


@pytest.mark.parametrize("name", ["imdb", "reuters"])
def test_word_indices_are_read_from_the_json_file(name, tmp_path, monkeypatch):
    (tmp_path / f"{name}_word_index.json").write_text(json.dumps({"the": 1, "and": 2, "film": 19}))
    monkeypatch.setenv("DENDRITE_DATA", str(tmp_path))
    assert getattr(dendrite.datasets, name).get_word_index() == {"the": 1, "and": 2, "film": 19}


def test_reuters_label_names_are_keras_46_topics():
    names = dendrite.datasets.reuters.get_label_names()
    assert len(names) == 46 and names[:4] == ("cocoa", "grain", "veg-oil", "earn") and names[-1] == "lead"


def test_other_missing_names_stay_attribute_errors():
    assert not hasattr(dendrite.datasets, "svhn")
    with pytest.raises(AttributeError, match=r"module 'dendrite.datasets' has no attribute 'svhn'"):
        dendrite.datasets.svhn
    assert "imdb" in dendrite.datasets.__all__ and "cifar10" in dendrite.datasets.__all__


@pytest.mark.parametrize("statement", ["keras.datasets.imdb.load_data()",
                                       "from keras.datasets import imdb; imdb.load_data(num_words=5000)",
                                       "from tensorflow.keras.datasets import reuters; reuters.load_data()",
                                       "import keras.datasets.reuters; keras.datasets.reuters.load_data()"])
def test_compat_refusal_carries_the_reason(statement):
    dendrite.compat.install()
    try:
        import keras
        with pytest.raises(NotImplementedError, match=r"is not available: Keras's (imdb|reuters).npz stores"):
            exec(statement, {"keras": keras})
    finally:
        dendrite.compat.uninstall()
