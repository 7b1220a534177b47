using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ConvGen.Training;

/// <summary>
/// Loss functions with the gradient the backward pass starts from, matching PyTorch's <c>F.cross_entropy</c> and
/// <c>F.mse_loss</c> with the default mean reduction.
/// </summary>
public static class Losses
{
    /// <summary>
    /// The mean over the batch of −log softmax(logits)[label]; writes the gradient of that mean with respect to the
    /// logits, (softmax − onehot) / batch, into <paramref name="logitsGradient"/>.
    /// </summary>
    /// <param name="logits">[batch, classes], row-major.</param>
    /// <param name="labels">One class index per sample; its length is the batch size.</param>
    /// <param name="classes">Classes per sample.</param>
    /// <param name="logitsGradient">As long as <paramref name="logits"/>, or empty when only the loss is wanted.</param>
    /// <exception cref="ArgumentException">
    /// The batch is empty, <paramref name="classes"/> is not positive, a length does not match, or a label is outside
    /// [0, <paramref name="classes"/>).
    /// </exception>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> logitsGradient)
    {
        CheckClassification(logits, labels, classes, nameof(SoftmaxCrossEntropy));
        bool wantGradient = !logitsGradient.IsEmpty;
        if (wantGradient && logitsGradient.Length != logits.Length)
        {
            throw new ArgumentException(
                $"SoftmaxCrossEntropy: the logits gradient has {logitsGradient.Length} elements but needs exactly {logits.Length} ([{labels.Length}, {classes}]), or 0 to skip it.",
                nameof(logitsGradient));
        }

        int batch = labels.Length;
        float inverseBatch = 1f / batch;
        double total = 0;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> row = logits.Slice(n * classes, classes);
            int label = labels[n];

            // Shifting by the row maximum keeps every exponent at or below zero, so logits of ±80 (or ±1e30) neither
            // overflow to infinity nor lose the label's term; the largest term is exactly 1, so the sum is ≥ 1.
            float max = Max(row);
            float sum = 0;
            for (int c = 0; c < classes; c++)
            {
                sum += MathF.Exp(row[c] - max);
            }

            total += MathF.Log(sum) - (row[label] - max);
            if (wantGradient)
            {
                Span<float> g = logitsGradient.Slice(n * classes, classes);
                float scale = inverseBatch / sum;
                for (int c = 0; c < classes; c++)
                {
                    g[c] = MathF.Exp(row[c] - max) * scale;
                }

                g[label] -= inverseBatch;
            }
        }

        return (float)(total / batch);
    }

    /// <summary>
    /// The mean over all elements of (prediction − target)²; writes its gradient, 2 (prediction − target) / count,
    /// into <paramref name="gradient"/>.
    /// </summary>
    /// <param name="prediction">Any shape.</param>
    /// <param name="target">As long as <paramref name="prediction"/>.</param>
    /// <param name="gradient">As long as <paramref name="prediction"/>, or empty when only the loss is wanted.</param>
    /// <exception cref="ArgumentException">The spans are empty or their lengths do not match.</exception>
    public static float MeanSquaredError(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        if (prediction.IsEmpty)
        {
            throw new ArgumentException("MeanSquaredError needs at least one element; the prediction is empty.", nameof(prediction));
        }

        if (target.Length != prediction.Length)
        {
            throw new ArgumentException(
                $"MeanSquaredError: the target has {target.Length} elements but the prediction has {prediction.Length}.", nameof(target));
        }

        bool wantGradient = !gradient.IsEmpty;
        if (wantGradient && gradient.Length != prediction.Length)
        {
            throw new ArgumentException(
                $"MeanSquaredError: the gradient has {gradient.Length} elements but needs exactly {prediction.Length}, or 0 to skip it.", nameof(gradient));
        }

        // PyTorch's backward scales (p − t) by 2 / numel computed once; doing the same keeps the rounding alike.
        float scale = (float)(2.0 / prediction.Length);
        double total = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && prediction.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> p = MemoryMarshal.Cast<float, Vector<float>>(prediction);
            ReadOnlySpan<Vector<float>> t = MemoryMarshal.Cast<float, Vector<float>>(target);
            Span<Vector<float>> g = wantGradient ? MemoryMarshal.Cast<float, Vector<float>>(gradient) : default;
            var scaleVector = new Vector<float>(scale);
            for (int v = 0; v < p.Length; v++)
            {
                Vector<float> d = p[v] - t[v];
                // Each vector's lane sum goes into a double total, so a long tensor loses little to float accumulation.
                total += Vector.Sum(d * d);
                if (wantGradient)
                {
                    g[v] = d * scaleVector;
                }
            }

            i = p.Length * Vector<float>.Count;
        }

        for (; i < prediction.Length; i++)
        {
            float d = prediction[i] - target[i];
            total += d * d;
            if (wantGradient)
            {
                gradient[i] = d * scale;
            }
        }

        return (float)(total / prediction.Length);
    }

    /// <summary>
    /// How many samples' largest logit is at their label (the first of equal maxima counts, as in <c>torch.argmax</c>).
    /// </summary>
    /// <param name="logits">[batch, classes], row-major.</param>
    /// <param name="labels">One class index per sample; its length is the batch size.</param>
    /// <param name="classes">Classes per sample.</param>
    /// <exception cref="ArgumentException">
    /// The batch is empty, <paramref name="classes"/> is not positive, the lengths do not match, or a label is outside
    /// [0, <paramref name="classes"/>).
    /// </exception>
    public static int CountCorrect(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes)
    {
        CheckClassification(logits, labels, classes, nameof(CountCorrect));
        int correct = 0;
        for (int n = 0; n < labels.Length; n++)
        {
            ReadOnlySpan<float> row = logits.Slice(n * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                // Strictly greater, so the first of equal maxima wins.
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            if (best == labels[n])
            {
                correct++;
            }
        }

        return correct;
    }

    private static float Max(ReadOnlySpan<float> row)
    {
        float max = row[0];
        for (int c = 1; c < row.Length; c++)
        {
            max = MathF.Max(max, row[c]);
        }

        return max;
    }

    private static void CheckClassification(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, string method)
    {
        if (classes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"{method} needs at least one class, got classes = {classes}.");
        }

        if (labels.IsEmpty)
        {
            throw new ArgumentException($"{method} needs at least one sample; the labels are empty.", nameof(labels));
        }

        long expected = (long)labels.Length * classes;
        if (logits.Length != expected)
        {
            throw new ArgumentException(
                $"{method}: the logits have {logits.Length} elements but {labels.Length} labels and {classes} classes need exactly {expected} ([{labels.Length}, {classes}]).",
                nameof(logits));
        }

        for (int n = 0; n < labels.Length; n++)
        {
            if ((uint)labels[n] >= (uint)classes)
            {
                throw new ArgumentException(
                    $"{method}: label {n} is {labels[n]}, outside [0, {classes}).", nameof(labels));
            }
        }
    }
}
