import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradient functions by itself; the check differentiates a tiny network.
import '../tf/registerGradients';

/**
 * `auto` accepts a backend only if it can run one training step, not merely initialize: a backend can
 * register and still lack a kernel that training needs (tfjs-wasm 4.22 has no Conv2DBackpropFilter)
 * or return NaN on a broken driver. The step is a tiny network of the kind NormLab trains,
 *
 *   h = conv3x3(x; W),  ĥ = (h − μ_B) / √(σ²_B + ε),  z = relu(ĥ) V,  L = CE(softmax(z), y),
 *
 * with μ_B, σ²_B the batch statistics of BatchNorm (Ioffe & Szegedy's transform, the object of the
 * paper), and its gradients ∂L/∂W (Conv2DBackpropFilter) and ∂L/∂V (transposed matMul). It passes when
 * L and every gradient entry are finite and the gradients are not all zero. Throws with the reason.
 */
export async function checkTrainingStep(): Promise<void> {
  const results = tf.tidy(() => {
    const x: tf.Tensor4D = tf.randomUniform([2, 6, 6, 3], -1, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d([1, 3], 'int32'), 4);
    const w = tf.randomNormal([3, 3, 3, 4], 0, 0.3, 'float32', 2);
    const v = tf.randomNormal([6 * 6 * 4, 4], 0, 0.1, 'float32', 3);
    const loss = (wc: tf.Tensor, vd: tf.Tensor): tf.Scalar => {
      const h = tf.conv2d(x, wc as tf.Tensor4D, 1, 'same');
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      const normalized = tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5)));
      const logits = tf.matMul(tf.reshape(tf.relu(normalized), [2, -1]), vd);
      return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(loss)([w, v]);
    return [value, ...grads];
  });
  try {
    let gradientMass = 0;
    for (const [i, t] of results.entries()) {
      // Every tensor here is float32.
      const values = (await t.data()) as Float32Array;
      if (!values.every((e) => Number.isFinite(e))) {
        throw new Error(`the training-step check produced a non-finite ${i === 0 ? 'loss' : 'gradient'}`);
      }
      if (i > 0) gradientMass += values.reduce((s, e) => s + Math.abs(e), 0);
    }
    if (gradientMass === 0) throw new Error('the training-step check produced all-zero gradients');
  } finally {
    tf.dispose(results);
  }
}
