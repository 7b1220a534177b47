using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// The pointwise half of a separable layer over one band: a small GEMM, output[Cout][P] = W[Cout][C] · band[C][P] +
/// bias. Register tiles of 4 filters × 4 vectors of pixels: each channel step loads 4 input vectors and broadcasts 4
/// weights for 16 multiply-adds. The general direct kernel would walk its kernel-tap loops for a 1×1 kernel too, which
/// costs more than the multiply-adds.
/// </summary>
internal static class PointwiseKernel
{
    private const int Filters = 4, Vectors = 4;

    /// <param name="x">The band: <paramref name="channels"/> rows of <paramref name="pixels"/> floats.</param>
    /// <param name="channels">Input channels (the depthwise outputs).</param>
    /// <param name="pixels">Pixels per channel in the band.</param>
    /// <param name="weights">[outChannels, channels].</param>
    /// <param name="bias">One per output channel, or empty.</param>
    /// <param name="g">The separable layer: its activation and slope.</param>
    /// <param name="y">The first output pixel of output channel 0.</param>
    /// <param name="outChannelStride">Floats between output channels.</param>
    public static void Run(ReadOnlySpan<float> x, int channels, int pixels, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        in ConvGeometry g, Span<float> y, int outChannelStride)
    {
        if (Vector512Ops.IsHardwareAccelerated && pixels >= Vector512Ops.Count)
        {
            Run<Vector512Ops, Vector512<float>>(x, channels, pixels, weights, bias, g, y, outChannelStride);
        }
        else if (Vector256Ops.IsHardwareAccelerated && pixels >= Vector256Ops.Count)
        {
            Run<Vector256Ops, Vector256<float>>(x, channels, pixels, weights, bias, g, y, outChannelStride);
        }
        else if (Vector128Ops.IsHardwareAccelerated && pixels >= Vector128Ops.Count)
        {
            Run<Vector128Ops, Vector128<float>>(x, channels, pixels, weights, bias, g, y, outChannelStride);
        }
        else
        {
            Run<ScalarOps, float>(x, channels, pixels, weights, bias, g, y, outChannelStride);
        }
    }

    private static void Run<TOps, TVec>(ReadOnlySpan<float> x, int channels, int pixels, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, in ConvGeometry g, Span<float> y, int outChannelStride)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int outChannels = g.OutChannels;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float w0 = ref MemoryMarshal.GetReference(weights);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int oc = 0;
        for (; oc + Filters <= outChannels; oc += Filters)
        {
            Tile4<TOps, TVec>(ref x0, channels, pixels, ref Unsafe.Add(ref w0, oc * channels), bias.IsEmpty ? default : bias.Slice(oc, Filters),
                ref Unsafe.Add(ref y0, oc * outChannelStride), outChannelStride);
        }

        for (; oc < outChannels; oc++)
        {
            Tile1<TOps, TVec>(ref x0, channels, pixels, ref Unsafe.Add(ref w0, oc * channels), bias.IsEmpty ? 0f : bias[oc],
                ref Unsafe.Add(ref y0, oc * outChannelStride));
        }

        if (g.Activation != Activation.None)
        {
            // After the stores: the last vectors of a row overlap the ones before, and most activations are not
            // idempotent. The band's outputs are still in cache.
            for (int c = 0; c < outChannels; c++)
            {
                ActivationFunctions.Apply(y.Slice(c * outChannelStride, pixels), g.Activation, g.NegativeSlope);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4<TOps, TVec>(ref float x, int channels, int pixels, ref float w, ReadOnlySpan<float> bias, ref float y, int stride)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int count = TOps.Count;
        float b0 = bias.IsEmpty ? 0f : bias[0], b1 = bias.IsEmpty ? 0f : bias[1], b2 = bias.IsEmpty ? 0f : bias[2], b3 = bias.IsEmpty ? 0f : bias[3];
        for (int p = 0; p < pixels; p += Vectors * count)
        {
            // Four vectors from p, each moved back to end at the last pixel when it would pass it: overlapping
            // vectors recompute the same outputs, and every load stays inside the row.
            nint c0 = Math.Min(p, pixels - count), c1 = Math.Min(p + count, pixels - count);
            nint c2 = Math.Min(p + 2 * count, pixels - count), c3 = Math.Min(p + 3 * count, pixels - count);
            TVec a00 = TOps.Broadcast(b0), a01 = a00, a02 = a00, a03 = a00;
            TVec a10 = TOps.Broadcast(b1), a11 = a10, a12 = a10, a13 = a10;
            TVec a20 = TOps.Broadcast(b2), a21 = a20, a22 = a20, a23 = a20;
            TVec a30 = TOps.Broadcast(b3), a31 = a30, a32 = a30, a33 = a30;
            ref float xc = ref x;
            ref float wc = ref w;
            for (int c = 0; c < channels; c++)
            {
                TVec v0 = TOps.Load(ref xc, (nuint)c0), v1 = TOps.Load(ref xc, (nuint)c1), v2 = TOps.Load(ref xc, (nuint)c2), v3 = TOps.Load(ref xc, (nuint)c3);
                TVec k = TOps.Broadcast(wc);
                a00 = TOps.MultiplyAdd(a00, v0, k); a01 = TOps.MultiplyAdd(a01, v1, k); a02 = TOps.MultiplyAdd(a02, v2, k); a03 = TOps.MultiplyAdd(a03, v3, k);
                k = TOps.Broadcast(Unsafe.Add(ref wc, channels));
                a10 = TOps.MultiplyAdd(a10, v0, k); a11 = TOps.MultiplyAdd(a11, v1, k); a12 = TOps.MultiplyAdd(a12, v2, k); a13 = TOps.MultiplyAdd(a13, v3, k);
                k = TOps.Broadcast(Unsafe.Add(ref wc, 2 * channels));
                a20 = TOps.MultiplyAdd(a20, v0, k); a21 = TOps.MultiplyAdd(a21, v1, k); a22 = TOps.MultiplyAdd(a22, v2, k); a23 = TOps.MultiplyAdd(a23, v3, k);
                k = TOps.Broadcast(Unsafe.Add(ref wc, 3 * channels));
                a30 = TOps.MultiplyAdd(a30, v0, k); a31 = TOps.MultiplyAdd(a31, v1, k); a32 = TOps.MultiplyAdd(a32, v2, k); a33 = TOps.MultiplyAdd(a33, v3, k);
                xc = ref Unsafe.Add(ref xc, pixels);
                wc = ref Unsafe.Add(ref wc, 1);
            }

            Store4<TOps, TVec>(ref y, c0, c1, c2, c3, a00, a01, a02, a03);
            Store4<TOps, TVec>(ref Unsafe.Add(ref y, stride), c0, c1, c2, c3, a10, a11, a12, a13);
            Store4<TOps, TVec>(ref Unsafe.Add(ref y, 2 * stride), c0, c1, c2, c3, a20, a21, a22, a23);
            Store4<TOps, TVec>(ref Unsafe.Add(ref y, 3 * stride), c0, c1, c2, c3, a30, a31, a32, a33);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4<TOps, TVec>(ref float y, nint c0, nint c1, nint c2, nint c3, TVec a0, TVec a1, TVec a2, TVec a3)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        TOps.Store(a0, ref y, (nuint)c0);
        TOps.Store(a1, ref y, (nuint)c1);
        TOps.Store(a2, ref y, (nuint)c2);
        TOps.Store(a3, ref y, (nuint)c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1<TOps, TVec>(ref float x, int channels, int pixels, ref float w, float bias, ref float y)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int count = TOps.Count;
        for (int p = 0; p < pixels; p += count)
        {
            nint c0 = Math.Min(p, pixels - count);
            TVec a = TOps.Broadcast(bias);
            ref float xc = ref x;
            for (int c = 0; c < channels; c++)
            {
                a = TOps.MultiplyAdd(a, TOps.Load(ref xc, (nuint)c0), TOps.Broadcast(Unsafe.Add(ref w, c)));
                xc = ref Unsafe.Add(ref xc, pixels);
            }

            TOps.Store(a, ref y, (nuint)c0);
        }
    }
}
