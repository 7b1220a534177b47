using System;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Internal;

/// <summary>
/// A fully connected layer, y[n, o] = act(Σᵢ x[n, i]·W[o, i] + b[o]) with PyTorch's [OutFeatures, InFeatures] weights
/// (<c>nn.Linear</c>), reading each sample's C·D·H·W values as its features. Generated linear layers and networks call
/// it; not meant to be called by user code.
/// </summary>
/// <remarks>
/// Register tiles of 4 outputs × 2 samples: each step loads one vector of each sample's features and one of each of 4
/// weight rows for 8 multiply-adds, so every input vector serves 4 outputs and every weight vector 2 samples. Samples
/// are taken in groups whose inputs fit in L2, and each tile of 4 weight rows serves every pair of the group before
/// the next tile, so the weights stream from memory once per group, not once per pair. A single sample uses 4 outputs × 2 interleaved steps to keep 8 accumulators in flight. The
/// widest vector width the features fill is used (16, 8, 4 lanes, or scalar without SIMD), features past the last
/// whole vector are added in scalar code, and the activation runs over the finished outputs. No call allocates.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class LinearKernel
{
    private const int Outputs = 4;

    /// <summary>Input floats of the samples that share one pass over the weights: 128 KB, which L2 holds.</summary>
    private const int GroupFloats = 32 * 1024;

    /// <summary>
    /// The output shape for <paramref name="input"/>: (N, <paramref name="outFeatures"/>, length 1), once C·D·H·W of the
    /// input is <paramref name="inFeatures"/>.
    /// </summary>
    /// <param name="input">The input shape, any layout; its C·D·H·W values per sample are the features.</param>
    /// <param name="inFeatures">Features per sample the layer reads.</param>
    /// <param name="outFeatures">Features per sample the layer writes.</param>
    /// <param name="layer">The layer's name, for error messages.</param>
    /// <exception cref="ArgumentException">
    /// A feature count is not positive, the shape has a non-positive size, or its features per sample are not
    /// <paramref name="inFeatures"/>; the message names both numbers and the input shape.
    /// </exception>
    public static TensorShape OutputShape(TensorShape input, int inFeatures, int outFeatures, string layer)
    {
        if (inFeatures < 1 || outFeatures < 1)
        {
            throw Fail(layer, "has InFeatures = {0} and OutFeatures = {1}, but both must be positive.", inFeatures, outFeatures);
        }

        NetworkGuard.CheckShape(input, layer);
        long features = (long)input.C * input.D * input.H * input.W;
        if (features != inFeatures)
        {
            throw Fail(layer, "expects {0} input features per sample, but the input shape {1} has C*D*H*W = {2}*{3}*{4}*{5} = {6}.",
                inFeatures, input, input.C, input.D, input.H, input.W, features);
        }

        if ((long)input.N * outFeatures > int.MaxValue)
        {
            throw Fail(layer, "output of {0} samples x {1} features has more than 2^31 - 1 elements (input shape {2}).", input.N, outFeatures, input);
        }

        return new TensorShape(input.N, outFeatures, 1);
    }

    /// <summary>
    /// Computes y[n, o] = act(Σᵢ x[n, i]·W[o, i] + b[o]) for every sample n of <paramref name="input"/> into
    /// <paramref name="output"/> (N × <paramref name="outFeatures"/>).
    /// </summary>
    /// <param name="input">The input batch, N × <paramref name="inFeatures"/> values; must not overlap <paramref name="output"/>.</param>
    /// <param name="inputShape">Its shape; C·D·H·W must be <paramref name="inFeatures"/>.</param>
    /// <param name="output">Exactly N × <paramref name="outFeatures"/> floats.</param>
    /// <param name="weights">[outFeatures, inFeatures], row-major (PyTorch <c>nn.Linear.weight</c>).</param>
    /// <param name="bias">One value per output feature, or empty for none.</param>
    /// <param name="inFeatures">Features per sample read.</param>
    /// <param name="outFeatures">Features per sample written.</param>
    /// <param name="activation">The function applied to every output after the bias.</param>
    /// <param name="negativeSlope">Slope of <see cref="Activation.LeakyReLU"/> below zero; ignored by the others.</param>
    /// <param name="layer">The layer's name, for error messages.</param>
    /// <exception cref="ArgumentException">
    /// The shape does not fit, a span's length is wrong, the activation is not an <see cref="Activation"/>, or the
    /// output overlaps the input or the weights.
    /// </exception>
    public static void Forward(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, int inFeatures, int outFeatures, Activation activation, float negativeSlope, string layer)
    {
        TensorShape outputShape = OutputShape(inputShape, inFeatures, outFeatures, layer);
        NetworkGuard.CheckLengths(layer, input.Length, inputShape, output.Length, outputShape);
        if (weights.Length != (long)outFeatures * inFeatures)
        {
            throw Fail(layer, "weights span has {0} elements but [OutFeatures, InFeatures] = [{1}, {2}] needs exactly {3}.",
                weights.Length, outFeatures, inFeatures, (long)outFeatures * inFeatures);
        }

        if (bias.Length != 0 && bias.Length != outFeatures)
        {
            throw Fail(layer, "bias span has {0} elements but needs 0 (no bias) or OutFeatures = {1}.", bias.Length, outFeatures);
        }

        if (activation is < Activation.None or > Activation.SiLU)
        {
            throw Fail(layer, "has activation {0}, which is not an Activation.", (int)activation);
        }

        if (output.Overlaps(input) || output.Overlaps(weights) || output.Overlaps(bias))
        {
            throw Fail(layer, "output span overlaps the input, weights or bias; a linear layer cannot run in place.");
        }

        ref float x = ref MemoryMarshal.GetReference(input);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float y = ref MemoryMarshal.GetReference(output);
        int batch = inputShape.N;
        if (Vector512Ops.IsHardwareAccelerated && inFeatures >= Vector512Ops.Count)
        {
            Run<Vector512Ops, Vector512<float>>(ref x, ref w, bias, ref y, batch, inFeatures, outFeatures);
        }
        else if (Vector256Ops.IsHardwareAccelerated && inFeatures >= Vector256Ops.Count)
        {
            Run<Vector256Ops, Vector256<float>>(ref x, ref w, bias, ref y, batch, inFeatures, outFeatures);
        }
        else if (Vector128Ops.IsHardwareAccelerated && inFeatures >= Vector128Ops.Count)
        {
            Run<Vector128Ops, Vector128<float>>(ref x, ref w, bias, ref y, batch, inFeatures, outFeatures);
        }
        else
        {
            Run<ScalarOps, float>(ref x, ref w, bias, ref y, batch, inFeatures, outFeatures);
        }

        ActivationFunctions.Apply(output, activation, negativeSlope);
    }

    private static void Run<TOps, TVec>(ref float x, ref float w, ReadOnlySpan<float> bias, ref float y, int batch, int inF, int outF)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        // Samples go in groups whose inputs stay in L2; within a group each tile of 4 weight rows is loaded from memory
        // once and reused, from cache, for every pair of samples.
        int group = Math.Max(2, (GroupFloats / inF) & ~1);
        for (int n0 = 0; n0 < batch; n0 += group)
        {
            int n1 = Math.Min(n0 + group, batch);
            int o = 0;
            for (; o + Outputs <= outF; o += Outputs)
            {
                ref float wo = ref Unsafe.Add(ref w, (nint)o * inF);
                int n = n0;
                for (; n + 2 <= n1; n += 2)
                {
                    ref float x0 = ref Unsafe.Add(ref x, (nint)n * inF);
                    ref float y0 = ref Unsafe.Add(ref y, (nint)n * outF + o);
                    Tile4x2<TOps, TVec>(ref x0, ref Unsafe.Add(ref x0, inF), ref wo, inF, ref y0, ref Unsafe.Add(ref y0, outF));
                }

                if (n < n1)
                {
                    Tile4x1<TOps, TVec>(ref Unsafe.Add(ref x, (nint)n * inF), ref wo, inF, ref Unsafe.Add(ref y, (nint)n * outF + o));
                }
            }

            for (; o < outF; o++)
            {
                ref float wo = ref Unsafe.Add(ref w, (nint)o * inF);
                int n = n0;
                for (; n + 2 <= n1; n += 2)
                {
                    ref float x0 = ref Unsafe.Add(ref x, (nint)n * inF);
                    ref float y0 = ref Unsafe.Add(ref y, (nint)n * outF + o);
                    Tile1x2<TOps, TVec>(ref x0, ref Unsafe.Add(ref x0, inF), ref wo, inF, ref y0, ref Unsafe.Add(ref y0, outF));
                }

                if (n < n1)
                {
                    Unsafe.Add(ref y, (nint)n * outF + o) = Tile1x1<TOps, TVec>(ref Unsafe.Add(ref x, (nint)n * inF), ref wo, inF);
                }
            }
        }

        if (!bias.IsEmpty)
        {
            for (int n = 0; n < batch; n++)
            {
                ref float yn = ref Unsafe.Add(ref y, (nint)n * outF);
                for (int o = 0; o < outF; o++)
                {
                    Unsafe.Add(ref yn, o) += bias[o];
                }
            }
        }
    }

    /// <summary>4 outputs of 2 samples: 8 accumulators, each input vector used 4 times, each weight vector twice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2<TOps, TVec>(ref float x0, ref float x1, ref float w0, int inF, ref float y0, ref float y1)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int count = TOps.Count;
        nuint whole = (nuint)(inF - inF % count);
        ref float w1 = ref Unsafe.Add(ref w0, inF);
        ref float w2 = ref Unsafe.Add(ref w1, inF);
        ref float w3 = ref Unsafe.Add(ref w2, inF);
        TVec a00 = TOps.Broadcast(0f), a01 = a00, a02 = a00, a03 = a00;
        TVec a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        nuint i = 0;
        for (; i < whole; i += (nuint)count)
        {
            TVec v0 = TOps.Load(ref x0, i), v1 = TOps.Load(ref x1, i);
            TVec k = TOps.Load(ref w0, i);
            a00 = TOps.MultiplyAdd(a00, v0, k);
            a10 = TOps.MultiplyAdd(a10, v1, k);
            k = TOps.Load(ref w1, i);
            a01 = TOps.MultiplyAdd(a01, v0, k);
            a11 = TOps.MultiplyAdd(a11, v1, k);
            k = TOps.Load(ref w2, i);
            a02 = TOps.MultiplyAdd(a02, v0, k);
            a12 = TOps.MultiplyAdd(a12, v1, k);
            k = TOps.Load(ref w3, i);
            a03 = TOps.MultiplyAdd(a03, v0, k);
            a13 = TOps.MultiplyAdd(a13, v1, k);
        }

        float s00 = Sum(a00), s01 = Sum(a01), s02 = Sum(a02), s03 = Sum(a03);
        float s10 = Sum(a10), s11 = Sum(a11), s12 = Sum(a12), s13 = Sum(a13);
        for (; i < (nuint)inF; i++)
        {
            float v0 = Unsafe.Add(ref x0, i), v1 = Unsafe.Add(ref x1, i);
            float k0 = Unsafe.Add(ref w0, i), k1 = Unsafe.Add(ref w1, i), k2 = Unsafe.Add(ref w2, i), k3 = Unsafe.Add(ref w3, i);
            s00 += v0 * k0;
            s01 += v0 * k1;
            s02 += v0 * k2;
            s03 += v0 * k3;
            s10 += v1 * k0;
            s11 += v1 * k1;
            s12 += v1 * k2;
            s13 += v1 * k3;
        }

        y0 = s00;
        Unsafe.Add(ref y0, 1) = s01;
        Unsafe.Add(ref y0, 2) = s02;
        Unsafe.Add(ref y0, 3) = s03;
        y1 = s10;
        Unsafe.Add(ref y1, 1) = s11;
        Unsafe.Add(ref y1, 2) = s12;
        Unsafe.Add(ref y1, 3) = s13;
    }

    /// <summary>4 outputs of one sample, two vector steps interleaved so that 8 accumulators hide the FMA latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1<TOps, TVec>(ref float x0, ref float w0, int inF, ref float y0)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int count = TOps.Count;
        nuint whole = (nuint)(inF - inF % count);
        nuint pairs = whole - whole % (nuint)(2 * count);
        ref float w1 = ref Unsafe.Add(ref w0, inF);
        ref float w2 = ref Unsafe.Add(ref w1, inF);
        ref float w3 = ref Unsafe.Add(ref w2, inF);
        TVec a0 = TOps.Broadcast(0f), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        nuint i = 0;
        for (; i < pairs; i += (nuint)(2 * count))
        {
            nuint j = i + (nuint)count;
            TVec v = TOps.Load(ref x0, i), u = TOps.Load(ref x0, j);
            a0 = TOps.MultiplyAdd(a0, v, TOps.Load(ref w0, i));
            b0 = TOps.MultiplyAdd(b0, u, TOps.Load(ref w0, j));
            a1 = TOps.MultiplyAdd(a1, v, TOps.Load(ref w1, i));
            b1 = TOps.MultiplyAdd(b1, u, TOps.Load(ref w1, j));
            a2 = TOps.MultiplyAdd(a2, v, TOps.Load(ref w2, i));
            b2 = TOps.MultiplyAdd(b2, u, TOps.Load(ref w2, j));
            a3 = TOps.MultiplyAdd(a3, v, TOps.Load(ref w3, i));
            b3 = TOps.MultiplyAdd(b3, u, TOps.Load(ref w3, j));
        }

        for (; i < whole; i += (nuint)count)
        {
            TVec v = TOps.Load(ref x0, i);
            a0 = TOps.MultiplyAdd(a0, v, TOps.Load(ref w0, i));
            a1 = TOps.MultiplyAdd(a1, v, TOps.Load(ref w1, i));
            a2 = TOps.MultiplyAdd(a2, v, TOps.Load(ref w2, i));
            a3 = TOps.MultiplyAdd(a3, v, TOps.Load(ref w3, i));
        }

        float s0 = Sum(a0) + Sum(b0), s1 = Sum(a1) + Sum(b1), s2 = Sum(a2) + Sum(b2), s3 = Sum(a3) + Sum(b3);
        for (; i < (nuint)inF; i++)
        {
            float v = Unsafe.Add(ref x0, i);
            s0 += v * Unsafe.Add(ref w0, i);
            s1 += v * Unsafe.Add(ref w1, i);
            s2 += v * Unsafe.Add(ref w2, i);
            s3 += v * Unsafe.Add(ref w3, i);
        }

        y0 = s0;
        Unsafe.Add(ref y0, 1) = s1;
        Unsafe.Add(ref y0, 2) = s2;
        Unsafe.Add(ref y0, 3) = s3;
    }

    /// <summary>One output of 2 samples: the weight row streams once for both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x2<TOps, TVec>(ref float x0, ref float x1, ref float w0, int inF, ref float y0, ref float y1)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int count = TOps.Count;
        nuint whole = (nuint)(inF - inF % count);
        TVec a0 = TOps.Broadcast(0f), a1 = a0;
        nuint i = 0;
        for (; i < whole; i += (nuint)count)
        {
            TVec k = TOps.Load(ref w0, i);
            a0 = TOps.MultiplyAdd(a0, TOps.Load(ref x0, i), k);
            a1 = TOps.MultiplyAdd(a1, TOps.Load(ref x1, i), k);
        }

        float s0 = Sum(a0), s1 = Sum(a1);
        for (; i < (nuint)inF; i++)
        {
            float k = Unsafe.Add(ref w0, i);
            s0 += Unsafe.Add(ref x0, i) * k;
            s1 += Unsafe.Add(ref x1, i) * k;
        }

        y0 = s0;
        y1 = s1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Tile1x1<TOps, TVec>(ref float x0, ref float w0, int inF)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int count = TOps.Count;
        nuint whole = (nuint)(inF - inF % count);
        TVec a = TOps.Broadcast(0f);
        nuint i = 0;
        for (; i < whole; i += (nuint)count)
        {
            a = TOps.MultiplyAdd(a, TOps.Load(ref x0, i), TOps.Load(ref w0, i));
        }

        float s = Sum(a);
        for (; i < (nuint)inF; i++)
        {
            s += Unsafe.Add(ref x0, i) * Unsafe.Add(ref w0, i);
        }

        return s;
    }

    /// <summary>The sum of the lanes; the type tests are JIT-time constants, so each instantiation keeps one branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum<TVec>(TVec v)
        where TVec : struct
    {
        if (typeof(TVec) == typeof(Vector512<float>))
        {
            return Vector512.Sum(Unsafe.As<TVec, Vector512<float>>(ref v));
        }

        if (typeof(TVec) == typeof(Vector256<float>))
        {
            return Vector256.Sum(Unsafe.As<TVec, Vector256<float>>(ref v));
        }

        if (typeof(TVec) == typeof(Vector128<float>))
        {
            return Vector128.Sum(Unsafe.As<TVec, Vector128<float>>(ref v));
        }

        return Unsafe.As<TVec, float>(ref v);
    }

    private static ArgumentException Fail(string layer, string format, params object[] args)
        => new("Layer '" + layer + "' " + string.Format(CultureInfo.InvariantCulture, format, args));
}
