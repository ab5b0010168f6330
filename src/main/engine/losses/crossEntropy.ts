/**
 * Classification loss: the mean softmax cross-entropy over the batch,
 *
 *   L = -(1/N) sum_n log softmax(z_n)[y_n],
 *
 * computed through logSoftmax (z - logsumexp z), which never overflows.
 */
import * as tf from '@tensorflow/tfjs-core';

/** `labels`: class indices (int32, shape [N]). */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(crossEntropyTerms(logits, labels))));
}

/** Sum over the batch of the per-example cross-entropies, for averaging over an evaluation set. */
export function softmaxCrossEntropySum(logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.sum(crossEntropyTerms(logits, labels))));
}

/** log softmax(z_n)[y_n] per example. */
function crossEntropyTerms(logits: tf.Tensor2D, labels: tf.Tensor): tf.Tensor1D {
  const classes = logits.shape[1];
  const oneHot = tf.oneHot(tf.cast(tf.reshape(labels, [-1]), 'int32') as tf.Tensor1D, classes);
  return tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1);
}
