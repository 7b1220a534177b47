using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ConvGen.Training;

/// <summary>
/// Stochastic gradient descent exactly as <c>torch.optim.SGD</c> (v1.13) computes it, per element:
/// d = g + weightDecay·p; with momentum, b = d on the first step and b = momentum·b + (1 − dampening)·d after, then
/// d = d + momentum·b (Nesterov) or d = b; finally p = p − learningRate·d.
/// </summary>
/// <remarks>
/// The vector body and the scalar tail do the same IEEE operations in the same order and never fuse a multiply
/// with an add, so the result does not depend on the machine's vector width or FMA support.
/// </remarks>
public sealed class Sgd : Optimizer
{
    private readonly float[][] _momentumBuffers;

    /// <summary>Creates the optimizer; with momentum, a momentum buffer per parameter is allocated here.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">The step size (PyTorch's <c>lr</c>, which has no default for SGD).</param>
    /// <param name="momentum">The momentum factor; 0 for none.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as weightDecay·p.</param>
    /// <param name="dampening">Scales down the gradient's share of each momentum update after the first: (1 − dampening).</param>
    /// <param name="nesterov">Nesterov momentum; needs a positive momentum and zero dampening.</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate, factor or penalty is negative or not finite.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="nesterov"/> without a positive momentum and zero dampening, or a problem with the parameter list.
    /// </exception>
    public Sgd(IEnumerable<Parameter> parameters, float learningRate, float momentum = 0, float weightDecay = 0, float dampening = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        RequireNonNegative(momentum, nameof(momentum));
        RequireNonNegative(weightDecay, nameof(weightDecay));
        if (!float.IsFinite(dampening))
        {
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, $"dampening must be finite, got {dampening}.");
        }

        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException(
                $"Nesterov momentum requires a momentum above 0 and zero dampening, got momentum = {momentum} and dampening = {dampening}.", nameof(nesterov));
        }

        Momentum = momentum;
        WeightDecay = weightDecay;
        Dampening = dampening;
        Nesterov = nesterov;
        _momentumBuffers = new float[Parameters.Count][];
        for (int i = 0; i < _momentumBuffers.Length; i++)
        {
            _momentumBuffers[i] = momentum != 0 ? new float[Parameters[i].Values.Length] : [];
        }
    }

    /// <summary>The momentum factor (0: plain SGD).</summary>
    public float Momentum { get; }

    /// <summary>The L2 penalty added to each gradient.</summary>
    public float WeightDecay { get; }

    /// <summary>The dampening of the gradient's share in momentum updates after the first.</summary>
    public float Dampening { get; }

    /// <summary>Whether the update looks ahead along the momentum (Nesterov).</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Parameter parameter)
    {
        Span<float> p = parameter.Values.Span;
        ReadOnlySpan<float> g = parameter.Gradient;
        Span<float> b = _momentumBuffers[index];
        float lr = LearningRate;
        float wd = WeightDecay;
        float momentum = Momentum;
        // PyTorch computes 1 − dampening in double and rounds it once to float; for a float dampening that is exact.
        float gradientShare = 1 - Dampening;
        bool hasMomentum = momentum != 0;
        // PyTorch starts each buffer as a copy of the first step's (decayed) gradient rather than from zero.
        bool first = Steps == 1;
        bool nesterov = Nesterov;

        int i = 0;
        if (Vector.IsHardwareAccelerated && p.Length >= Vector<float>.Count)
        {
            Span<Vector<float>> pv = MemoryMarshal.Cast<float, Vector<float>>(p);
            ReadOnlySpan<Vector<float>> gv = MemoryMarshal.Cast<float, Vector<float>>(g);
            Span<Vector<float>> bv = hasMomentum ? MemoryMarshal.Cast<float, Vector<float>>(b) : default;
            var lrV = new Vector<float>(lr);
            var wdV = new Vector<float>(wd);
            var momentumV = new Vector<float>(momentum);
            var shareV = new Vector<float>(gradientShare);
            for (int v = 0; v < pv.Length; v++)
            {
                Vector<float> d = gv[v];
                // Skipped at zero like PyTorch, so that an infinite parameter does not turn d into NaN.
                if (wd != 0)
                {
                    d += wdV * pv[v];
                }

                if (hasMomentum)
                {
                    Vector<float> buffer = first ? d : bv[v] * momentumV + shareV * d;
                    bv[v] = buffer;
                    d = nesterov ? d + momentumV * buffer : buffer;
                }

                pv[v] -= lrV * d;
            }

            i = pv.Length * Vector<float>.Count;
        }

        for (; i < p.Length; i++)
        {
            float d = g[i];
            if (wd != 0)
            {
                d += wd * p[i];
            }

            if (hasMomentum)
            {
                float buffer = first ? d : b[i] * momentum + gradientShare * d;
                b[i] = buffer;
                d = nesterov ? d + momentum * buffer : buffer;
            }

            p[i] -= lr * d;
        }
    }
}
