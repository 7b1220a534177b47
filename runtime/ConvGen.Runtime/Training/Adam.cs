using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ConvGen.Training;

/// <summary>
/// Adam exactly as <c>torch.optim.Adam</c> (v1.13, <c>amsgrad=False</c>) computes it, per element at step t:
/// g = g + weightDecay·p; m = β₁·m + (1 − β₁)·g; v = β₂·v + (1 − β₂)·g²;
/// p = p − (learningRate / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
/// </summary>
/// <remarks>
/// As in PyTorch, the bias corrections are computed in double once per step and ε is added after dividing by
/// √(1 − β₂ᵗ), not before. The vector body and the scalar tail do the same IEEE operations in the same order, so
/// the result does not depend on the machine's vector width.
/// </remarks>
public sealed class Adam : Optimizer
{
    private readonly float[][] _firstMoments;
    private readonly float[][] _secondMoments;

    /// <summary>Creates the optimizer and allocates its two moment estimates per parameter.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">The step size (PyTorch's <c>lr</c>).</param>
    /// <param name="beta1">Decay of the running mean of gradients, in [0, 1).</param>
    /// <param name="beta2">Decay of the running mean of squared gradients, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as weightDecay·p (not decoupled as in AdamW).</param>
    /// <exception cref="ArgumentOutOfRangeException">A beta is outside [0, 1), or a rate, ε or penalty is negative or not finite.</exception>
    /// <exception cref="ArgumentException">A problem with the parameter list.</exception>
    public Adam(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0)
        : base(parameters, learningRate)
    {
        RequireBeta(beta1, nameof(beta1));
        RequireBeta(beta2, nameof(beta2));
        RequireNonNegative(epsilon, nameof(epsilon));
        RequireNonNegative(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _firstMoments = new float[Parameters.Count][];
        _secondMoments = new float[Parameters.Count][];
        for (int i = 0; i < _firstMoments.Length; i++)
        {
            _firstMoments[i] = new float[Parameters[i].Values.Length];
            _secondMoments[i] = new float[Parameters[i].Values.Length];
        }
    }

    /// <summary>Decay of the running mean of gradients.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the running mean of squared gradients.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public float Epsilon { get; }

    /// <summary>The L2 penalty added to each gradient.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Parameter parameter)
    {
        Span<float> p = parameter.Values.Span;
        ReadOnlySpan<float> g = parameter.Gradient;
        Span<float> m = _firstMoments[index];
        Span<float> s = _secondMoments[index];

        // PyTorch computes the bias corrections in double and rounds each derived scalar to float once, when it meets a float tensor.
        int step = Steps;
        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, step);
        float stepSize = (float)(LearningRate / biasCorrection1);
        float correction2Sqrt = (float)Math.Sqrt(biasCorrection2);
        float beta1 = Beta1;
        float beta2 = Beta2;
        float share1 = 1 - beta1;
        float share2 = 1 - beta2;
        float eps = Epsilon;
        float wd = WeightDecay;

        int i = 0;
        if (Vector.IsHardwareAccelerated && p.Length >= Vector<float>.Count)
        {
            Span<Vector<float>> pv = MemoryMarshal.Cast<float, Vector<float>>(p);
            ReadOnlySpan<Vector<float>> gv = MemoryMarshal.Cast<float, Vector<float>>(g);
            Span<Vector<float>> mv = MemoryMarshal.Cast<float, Vector<float>>(m);
            Span<Vector<float>> sv = MemoryMarshal.Cast<float, Vector<float>>(s);
            var beta1V = new Vector<float>(beta1);
            var beta2V = new Vector<float>(beta2);
            var share1V = new Vector<float>(share1);
            var share2V = new Vector<float>(share2);
            var epsV = new Vector<float>(eps);
            var wdV = new Vector<float>(wd);
            var stepSizeV = new Vector<float>(stepSize);
            var correction2SqrtV = new Vector<float>(correction2Sqrt);
            for (int v = 0; v < pv.Length; v++)
            {
                Vector<float> grad = gv[v];
                if (wd != 0)
                {
                    grad += wdV * pv[v];
                }

                Vector<float> first = mv[v] * beta1V + share1V * grad;
                Vector<float> second = sv[v] * beta2V + share2V * grad * grad;
                mv[v] = first;
                sv[v] = second;
                Vector<float> denominator = Vector.SquareRoot(second) / correction2SqrtV + epsV;
                pv[v] -= stepSizeV * (first / denominator);
            }

            i = pv.Length * Vector<float>.Count;
        }

        for (; i < p.Length; i++)
        {
            float grad = g[i];
            if (wd != 0)
            {
                grad += wd * p[i];
            }

            float first = m[i] * beta1 + share1 * grad;
            float second = s[i] * beta2 + share2 * grad * grad;
            m[i] = first;
            s[i] = second;
            float denominator = MathF.Sqrt(second) / correction2Sqrt + eps;
            p[i] -= stepSize * (first / denominator);
        }
    }

    private static void RequireBeta(float value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1), got {value}.");
        }
    }
}
