/** Classification accuracy: the fraction (or count) of examples whose largest logit is the label. */
import * as tf from '@tensorflow/tfjs-core';

/** Number of examples with argmax_k z_nk = y_n, as a float32 scalar. */
export function correctCount(logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const predicted = tf.argMax(logits, 1);
    const truth = tf.cast(tf.reshape(labels, [-1]), 'int32');
    return tf.sum(tf.cast(tf.equal(predicted, truth), 'float32'));
  });
}

/** Fraction of examples with argmax_k z_nk = y_n. */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(correctCount(logits, labels), logits.shape[0]));
}
