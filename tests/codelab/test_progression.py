"""codelab.progression: the networks as the codelab (seed 000) and the book (seed 002) define them: layer
sizes, parameter counts (as Keras's summary counts them), optimizers, batch sizes, epochs and schedules."""
import pytest

from dendrite.codelab import BOOK, CODELAB, PROGRESSION, progression
from dendrite.codelab.runner import build, describe


def by_key(key):
    return next(e for e in PROGRESSION if e.key == key)


# 784*10+10; 784*200+200 + 200*60+60 + 60*10+10; + 200*100+100 + 100*60+60 layers; conv 3*3*1*12+12,
# 6*6*12*24+24, 6*6*24*32+32, Dense 7*7*32*200+200, 200*10+10; batch norm without conv biases but with
# beta, moving mean and moving variance per channel; the book: 784*128+128 + 128*128+128 + 128*10+10
PARAMS = {"softmax": 7850, "dense-sigmoid": 169670, "dense-relu-adam": 169670, "lr-decay": 169670,
          "dense-dropout": 183770, "cnn": 354002, "cnn-dropout": 354002,
          "cnn-batchnorm": 108 + 36 + 10368 + 72 + 27648 + 96 + 313600 + 600 + 2010,
          "book-simple": 7850, "book-two-hidden": 118282, "book-dropout": 118282, "book-rmsprop": 118282,
          "book-adam": 118282}


def test_eight_codelab_steps_then_the_book_s_five_rows():
    assert [e.key for e in CODELAB] == ["softmax", "dense-sigmoid", "dense-relu-adam", "lr-decay", "dense-dropout",
                                        "cnn", "cnn-dropout", "cnn-batchnorm"]
    assert [e.key for e in BOOK] == ["book-simple", "book-two-hidden", "book-dropout", "book-rmsprop", "book-adam"]
    assert [e.published for e in BOOK] == [92.22, 94.41, 97.7, 97.84, 97.93]
    assert [e.epochs for e in BOOK] == [200, 20, 250, 20, 20]
    assert all(e.epochs == 10 for e in CODELAB)
    assert progression.SPLITS == {"codelab": (50000, 10000), "book": (48000, 12000)}


@pytest.mark.parametrize("key", list(PARAMS))
def test_parameter_counts(key):
    assert build(by_key(key), 0).count_params() == PARAMS[key]


def test_the_cnn_shapes_and_the_batch_norm_variant():
    model = build(by_key("cnn"), 0)
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv2D"]
    assert [tuple(c.output.shape[1:]) for c in convs] == [(28, 28, 12), (14, 14, 24), (7, 7, 32)]
    assert [c.get_config()["kernel_size"] for c in convs] == [(3, 3), (6, 6), (6, 6)]
    assert describe(model) == ("Reshape((28, 28, 1)) > Conv2D(12, 3x3, same, relu) > Conv2D(24, 6x6, stride 2, same, "
                               "relu) > Conv2D(32, 6x6, stride 2, same, relu) > Flatten > Dense(200, relu) > "
                               "Dense(10, softmax)")
    bn = build(by_key("cnn-batchnorm"), 0)
    kinds = [type(layer).__name__ for layer in bn.layers]
    assert kinds.count("BatchNormalization") == 4 and kinds.count("Activation") == 4
    for layer in bn.layers:
        config = layer.get_config()
        if type(layer).__name__ == "BatchNormalization":
            assert (config["scale"], config["center"]) == (False, True)
        if type(layer).__name__ in ("Conv2D",) or config.get("units") == 200:
            assert config["use_bias"] is False
    assert [layer.get_config()["rate"] for layer in bn.layers if type(layer).__name__ == "Dropout"] == [0.3]
    assert by_key("cnn-batchnorm").batch_size == 64
    assert [layer.get_config()["rate"] for layer in build(by_key("cnn-dropout"), 0).layers
            if type(layer).__name__ == "Dropout"] == [0.4]
    assert [layer.get_config()["rate"] for layer in build(by_key("dense-dropout"), 0).layers
            if type(layer).__name__ == "Dropout"] == [0.25, 0.25, 0.25]


def test_optimizers_and_learning_rate_schedules():
    assert by_key("softmax").optimizer_text == "'sgd' (lr 0.01)"
    assert by_key("dense-relu-adam").optimizer_text == "'adam' (lr 0.001)"
    assert by_key("book-rmsprop").optimizer_text == "RMSprop (lr 0.001)"
    decay = by_key("lr-decay").schedule
    assert [round(decay(e), 8) for e in range(3)] == [0.01, 0.006, 0.0036]  # 0.01 * 0.6**epoch
    assert by_key("cnn-batchnorm").schedule(2) == pytest.approx(0.01 * 0.666 ** 2)
    assert by_key("lr-decay").optimizer_text == "Adam, lr 0.01 * 0.6**epoch"
    assert float(build(by_key("lr-decay"), 0).optimizer.learning_rate) == pytest.approx(0.01)
    assert by_key("dense-sigmoid").schedule is None and by_key("book-adam").schedule is None


def test_select():
    assert [e.key for e in progression.select(["book-adam", "softmax"])] == ["softmax", "book-adam"]
    assert len(progression.select(None)) == 13
    with pytest.raises(ValueError, match="unknown model\\(s\\) \\['resnet'\\]; choose among \\['softmax'"):
        progression.select(["resnet"])
