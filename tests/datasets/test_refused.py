"""imdb and reuters are refused: their Keras files are pickles. The error says so and what to use instead,
both from dendrite.datasets and through the compatibility namespaces."""
import pytest

import dendrite.compat
import dendrite.datasets


@pytest.mark.parametrize("name, file", [("imdb", "imdb.npz"), ("reuters", "reuters.npz")])
def test_imdb_and_reuters_say_why_and_what_instead(name, file):
    with pytest.raises(NotImplementedError) as info:
        getattr(dendrite.datasets, name)
    msg = str(info.value)
    assert msg.startswith(f"dendrite.datasets.{name} is not available: Keras's {file} stores its ")
    assert "numpy object arrays" in msg and "pickles" in msg and "never unpickles" in msg
    assert f"convert {file} once" in msg and "np.load(path, allow_pickle=False)" in msg
    if name == "imdb":
        assert "aclImdb_v1.tar.gz" in msg and "dendrite.utils.text_dataset_from_directory" in msg
        assert "dendrite.layers.TextVectorization" in msg
        assert callable(dendrite.utils.text_dataset_from_directory) and dendrite.layers.TextVectorization


def test_other_missing_names_stay_attribute_errors():
    assert not hasattr(dendrite.datasets, "svhn")
    with pytest.raises(AttributeError, match=r"module 'dendrite.datasets' has no attribute 'svhn'"):
        dendrite.datasets.svhn
    assert "imdb" not in dendrite.datasets.__all__ and "cifar10" in dendrite.datasets.__all__


@pytest.mark.parametrize("statement", ["keras.datasets.imdb", "from keras.datasets import imdb",
                                       "from tensorflow.keras.datasets import reuters",
                                       "import keras.datasets.reuters"])
def test_compat_refusal_carries_the_reason(statement):
    dendrite.compat.install()
    try:
        import keras
        with pytest.raises(NotImplementedError, match=r"is not available: Keras's (imdb|reuters).npz stores"):
            exec(statement, {"keras": keras})
    finally:
        dendrite.compat.uninstall()
