# Keras 2 OCR style (the image_ocr / captcha examples): a recurrent network over a sequence of columns, the CTC
# loss computed by K.ctc_batch_cost in a Lambda layer from four inputs, compiled with a loss that passes y_pred
# through, then a prediction model decoded with K.ctc_decode.
import numpy as np
from keras import backend as K
from keras.layers import Input, Dense, GRU, Lambda
from keras.models import Model

np.random.seed(0)
n, steps, feats, vocab = 256, 10, 6, 4  # classes 0..3, blank = 4 (the last)
chars = np.random.randint(0, vocab + 1, size=(n, steps))
x = np.eye(feats)[chars].astype("float32") + np.random.normal(0, 0.2, (n, steps, feats)).astype("float32")
labels = np.zeros((n, steps), "float32")
label_length = np.zeros((n, 1), "int64")
for i, row in enumerate(chars):
    seq = [c for j, c in enumerate(row) if c != vocab and (j == 0 or row[j - 1] != c)]
    labels[i, :len(seq)], label_length[i] = seq, max(len(seq), 1)
    if not seq:
        labels[i, 0] = 0
input_length = np.full((n, 1), steps, "int64")


def ctc_lambda_func(args):
    y_pred, labels, input_length, label_length = args
    return K.ctc_batch_cost(labels, y_pred, input_length, label_length)


input_data = Input(name="the_input", shape=(steps, feats), dtype="float32")
inner = GRU(32, return_sequences=True, name="gru1")(input_data)
y_pred = Dense(vocab + 1, activation="softmax", name="softmax")(inner)
labels_in = Input(name="the_labels", shape=[steps], dtype="float32")
input_length_in = Input(name="input_length", shape=[1], dtype="int64")
label_length_in = Input(name="label_length", shape=[1], dtype="int64")
loss_out = Lambda(ctc_lambda_func, output_shape=(1,), name="ctc")([y_pred, labels_in, input_length_in,
                                                                    label_length_in])
model = Model(inputs=[input_data, labels_in, input_length_in, label_length_in], outputs=loss_out)
model.compile(loss={"ctc": lambda y_true, y_pred: y_pred}, optimizer="adam")
history = model.fit([x, labels, input_length, label_length], np.zeros(n), batch_size=32, epochs=3, verbose=2)
print("loss fell", history.history["loss"][-1] < history.history["loss"][0])

predict_model = Model(inputs=input_data, outputs=y_pred)
probs = predict_model.predict(x[:8], verbose=0)
decoded, log_prob = K.ctc_decode(probs, np.full(8, steps), greedy=True)
out = K.get_value(decoded[0])
print("decoded", out.shape, int(out.min()) >= -1, np.asarray(log_prob).shape)
