using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen.Internal;

public static partial class PoolingKernel
{
    /// <summary>
    /// The backward pass of max pooling whose windows neither overlap nor pad (stride = window, no padding), the common
    /// 2x2 downsampling. The forward pass's <paramref name="output"/> is each window's maximum, so the gradient goes to
    /// the first element of the window equal to it (a NaN output to the first NaN): the element PyTorch's argmax picks.
    /// Inputs in no window (the rows and columns a floor division leaves over) get zero.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match the shapes (the message names both sizes).</exception>
    public static void MaxBackwardDisjoint(ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int k, string layer)
    {
        TensorShape o = OutputShape(true, inputShape, k, k, 0, layer);
        NetworkGuard.CheckLengths(layer, input.Length, inputShape, output.Length, o);
        NetworkGuard.CheckGradients(layer, inputShape, o, outputGradient.Length, inputGradient.Length);
        if (inputGradient.IsEmpty)
        {
            return;
        }

        // Only the rows and columns no window covers need clearing; Route writes every covered element.
        if (o.W * k != inputShape.W || o.H * (inputShape.Dimensions >= 2 ? k : 1) != inputShape.H || o.D * (inputShape.Dimensions == 3 ? k : 1) != inputShape.D)
        {
            inputGradient.Clear();
        }

        int kd = inputShape.Dimensions == 3 ? k : 1, kh = inputShape.Dimensions >= 2 ? k : 1;

        int planes = inputShape.N * inputShape.C;
        int inPlane = inputShape.D * inputShape.H * inputShape.W, outPlane = o.D * o.H * o.W;
        ref float x0 = ref MemoryMarshal.GetReference(input);
        ref float y0 = ref MemoryMarshal.GetReference(output);
        ref float g0 = ref MemoryMarshal.GetReference(outputGradient);
        ref float dx0 = ref MemoryMarshal.GetReference(inputGradient);
        for (int plane = 0; plane < planes; plane++)
        {
            int xPlane = plane * inPlane, oPlane = plane * outPlane;
            for (int od = 0; od < o.D; od++)
            {
                for (int oh = 0; oh < o.H; oh++)
                {
                    int oRow = oPlane + (od * o.H + oh) * o.W;
                    int xRow = xPlane + (od * kd * inputShape.H + oh * kh) * inputShape.W;
                    if (kd == 1 && kh == 2 && k == 2)
                    {
                        Route2x2(ref Unsafe.Add(ref x0, xRow), ref Unsafe.Add(ref dx0, xRow), ref Unsafe.Add(ref y0, oRow), ref Unsafe.Add(ref g0, oRow), o.W, inputShape.W);
                        continue;
                    }

                    for (int ow = 0; ow < o.W; ow++)
                    {
                        Route(ref x0, ref dx0, xRow + ow * k, Unsafe.Add(ref y0, oRow + ow), Unsafe.Add(ref g0, oRow + ow), kd, kh, k, inputShape.H, inputShape.W);
                    }
                }
            }
        }
    }

    /// <summary>One output row of 2x2 windows, unrolled: the 4 comparisons per window become masks.</summary>
    private static void Route2x2(ref float x, ref float dx, ref float y, ref float g, int outW, int width)
    {
        ref float x1 = ref Unsafe.Add(ref x, width);
        ref float dx1 = ref Unsafe.Add(ref dx, width);
        for (int ow = 0; ow < outW; ow++)
        {
            int i = 2 * ow;
            // The maximum is one of the window's values, copied bit for bit (a NaN too), so equality of the bits finds
            // it. Computed without a branch: a branch on the random winner mispredicted about twice a window and
            // tripled the time. (+0 and -0 count as different values here.)
            int max = BitConverter.SingleToInt32Bits(Unsafe.Add(ref y, ow));
            int bits = BitConverter.SingleToInt32Bits(Unsafe.Add(ref g, ow));
            int ma = Equal(BitConverter.SingleToInt32Bits(Unsafe.Add(ref x, i)), max);
            int mb = Equal(BitConverter.SingleToInt32Bits(Unsafe.Add(ref x, i + 1)), max) & ~ma;
            int mc = Equal(BitConverter.SingleToInt32Bits(Unsafe.Add(ref x1, i)), max) & ~(ma | mb);
            int md = ~(ma | mb | mc);
            Unsafe.Add(ref dx, i) = BitConverter.Int32BitsToSingle(bits & ma);
            Unsafe.Add(ref dx, i + 1) = BitConverter.Int32BitsToSingle(bits & mb);
            Unsafe.Add(ref dx1, i) = BitConverter.Int32BitsToSingle(bits & mc);
            Unsafe.Add(ref dx1, i + 1) = BitConverter.Int32BitsToSingle(bits & md);
        }
    }

    /// <summary>-1 when <paramref name="a"/> equals <paramref name="b"/>, else 0, in arithmetic only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Equal(int a, int b)
    {
        int d = a ^ b;
        return ~((d | -d) >> 31);
    }

    /// <summary>
    /// Writes the window at <paramref name="first"/>: <paramref name="gradient"/> at its first element equal to
    /// <paramref name="max"/>, zero elsewhere. Branch-free: the winner's position is random, and a branch per element
    /// mispredicted about twice per window (15 ns of a 2x2 window's 2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Route(ref float x0, ref float dx0, int first, float max, float gradient, int kd, int kh, int kw, int height, int width)
    {
        bool nan = float.IsNaN(max);
        int bits = BitConverter.SingleToInt32Bits(gradient);
        int open = -1; // all ones until the winner has been written
        for (int d = 0; d < kd; d++)
        {
            for (int h = 0; h < kh; h++)
            {
                int row = first + (d * height + h) * width;
                for (int w = 0; w < kw; w++)
                {
                    float v = Unsafe.Add(ref x0, row + w);
                    bool hit = v == max | (nan & float.IsNaN(v));
                    int mask = -Unsafe.As<bool, byte>(ref hit) & open;
                    Unsafe.Add(ref dx0, row + w) = BitConverter.Int32BitsToSingle(bits & mask);
                    open &= ~mask;
                }
            }
        }
    }
}
