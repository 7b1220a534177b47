using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Internal;

// The backward pass is two matrix products and a column sum over dz, the gradient at the pre-activation (the output
// gradient already multiplied by the activation's derivative, see ActivationGradient): dX = dz·W,
// dW += dzᵀ·x and db += Σₙ dz. Both products run on one register-tiled kernel, C (+)= A·B with B and C row-major along
// the input features and A read with any strides: a tile is 4 rows of C by 3 vectors of features (12 accumulators),
// each step loads 3 vectors of one B row and broadcasts 4 values of A for 12 multiply-adds. Column blocks of 3 vectors
// are the outer loop, so the block of B (a slice of the inputs, or of the weights) stays in L1 while every row tile
// uses it. A last partial tile of rows repeats its last row (the repeated rows load, compute and store the same
// values), features past the last block take 1-vector tiles, then scalar ones.
public static partial class LinearKernel
{
    private const int TileRows = 4;
    private const int TileVectors = 3;

    /// <summary>
    /// The gradients of a linear layer given dz = dL/dz at its pre-activation z = x·Wᵀ + b: overwrites
    /// <paramref name="inputGradient"/> with dz·W, and adds dzᵀ·x to <paramref name="weightGradient"/> and the batch sum
    /// of dz to <paramref name="biasGradient"/>. An empty destination is skipped.
    /// </summary>
    /// <param name="input">The forward pass's input, N × <paramref name="inFeatures"/> values.</param>
    /// <param name="inputShape">Its shape; C·D·H·W must be <paramref name="inFeatures"/>.</param>
    /// <param name="preActivationGradient">dz, N × <paramref name="outFeatures"/> values.</param>
    /// <param name="weights">[outFeatures, inFeatures], row-major (PyTorch <c>nn.Linear.weight</c>).</param>
    /// <param name="inFeatures">Features per sample of the input.</param>
    /// <param name="outFeatures">Features per sample of the output.</param>
    /// <param name="inputGradient">dX, overwritten: as many values as <paramref name="input"/>, or empty to skip it.</param>
    /// <param name="weightGradient">dW, added to: as many values as <paramref name="weights"/>, or empty to skip it.</param>
    /// <param name="biasGradient">db, added to: <paramref name="outFeatures"/> values, or empty (no bias).</param>
    /// <param name="layer">The layer's name, for error messages.</param>
    /// <exception cref="ArgumentException">
    /// The shape does not fit, a span's length is wrong (the message names both sizes), or a destination overlaps
    /// another span.
    /// </exception>
    public static void Backward(ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> preActivationGradient,
        ReadOnlySpan<float> weights, int inFeatures, int outFeatures, Span<float> inputGradient, Span<float> weightGradient,
        Span<float> biasGradient, string layer)
    {
        TensorShape outputShape = OutputShape(inputShape, inFeatures, outFeatures, layer);
        if (input.Length != inputShape.ElementCount)
        {
            throw Fail(layer, "input span has {0} elements but the input shape {1} needs exactly {2}.", input.Length, inputShape, inputShape.ElementCount);
        }

        NetworkGuard.CheckGradients(layer, inputShape, outputShape, preActivationGradient.Length, inputGradient.Length);
        long weightCount = (long)outFeatures * inFeatures;
        if (weights.Length != weightCount)
        {
            throw Fail(layer, "weights span has {0} elements but [OutFeatures, InFeatures] = [{1}, {2}] needs exactly {3}.",
                weights.Length, outFeatures, inFeatures, weightCount);
        }

        if (weightGradient.Length != 0 && weightGradient.Length != weightCount)
        {
            throw Fail(layer, "weight gradient span has {0} elements but [OutFeatures, InFeatures] = [{1}, {2}] needs exactly {3} (or 0 to skip it).",
                weightGradient.Length, outFeatures, inFeatures, weightCount);
        }

        if (biasGradient.Length != 0 && biasGradient.Length != outFeatures)
        {
            throw Fail(layer, "bias gradient span has {0} elements but needs 0 (no bias) or OutFeatures = {1}.", biasGradient.Length, outFeatures);
        }

        if (Overlaps(inputGradient, input, preActivationGradient, weights, weightGradient, biasGradient)
            || Overlaps(weightGradient, input, preActivationGradient, weights, default, biasGradient)
            || Overlaps(biasGradient, input, preActivationGradient, weights, default, default))
        {
            throw Fail(layer, "a gradient span overlaps another span of the backward pass; each must have its own memory.");
        }

        int batch = inputShape.N;
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float dz = ref MemoryMarshal.GetReference(preActivationGradient);
        ref float w = ref MemoryMarshal.GetReference(weights);
        if (!biasGradient.IsEmpty)
        {
            AddColumnSums(ref dz, batch, outFeatures, biasGradient);
        }

        if (!weightGradient.IsEmpty)
        {
            // dW[o, i] += Σₙ dz[n, o]·x[n, i]: rows o, depth n; A[o, n] = dz[n·Out + o].
            Multiply(ref dz, 1, outFeatures, ref x, inFeatures, ref MemoryMarshal.GetReference(weightGradient), inFeatures,
                outFeatures, batch, inFeatures, accumulate: true);
        }

        if (!inputGradient.IsEmpty)
        {
            // dX[n, i] = Σₒ dz[n, o]·W[o, i]: rows n, depth o; A[n, o] = dz[n·Out + o].
            Multiply(ref dz, outFeatures, 1, ref w, inFeatures, ref MemoryMarshal.GetReference(inputGradient), inFeatures,
                batch, outFeatures, inFeatures, accumulate: false);
        }
    }

    private static bool Overlaps(ReadOnlySpan<float> destination, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c,
        ReadOnlySpan<float> d, ReadOnlySpan<float> e)
        => !destination.IsEmpty && (destination.Overlaps(a) || destination.Overlaps(b) || destination.Overlaps(c) || destination.Overlaps(d) || destination.Overlaps(e));

    /// <summary>sums[o] += Σₙ dz[n·outF + o].</summary>
    private static void AddColumnSums(ref float dz, int batch, int outF, Span<float> sums)
    {
        ref float s = ref MemoryMarshal.GetReference(sums);
        int o = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; o + Vector256<float>.Count <= outF; o += Vector256<float>.Count)
            {
                Vector256<float> acc = Vector256.LoadUnsafe(ref s, (nuint)o);
                for (int n = 0; n < batch; n++)
                {
                    acc += Vector256.LoadUnsafe(ref dz, (nuint)((nint)n * outF + o));
                }

                acc.StoreUnsafe(ref s, (nuint)o);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; o + Vector128<float>.Count <= outF; o += Vector128<float>.Count)
            {
                Vector128<float> acc = Vector128.LoadUnsafe(ref s, (nuint)o);
                for (int n = 0; n < batch; n++)
                {
                    acc += Vector128.LoadUnsafe(ref dz, (nuint)((nint)n * outF + o));
                }

                acc.StoreUnsafe(ref s, (nuint)o);
            }
        }

        for (; o < outF; o++)
        {
            float acc = Unsafe.Add(ref s, o);
            for (int n = 0; n < batch; n++)
            {
                acc += Unsafe.Add(ref dz, (nint)n * outF + o);
            }

            Unsafe.Add(ref s, o) = acc;
        }
    }

    /// <summary>
    /// C[r, j] = (C[r, j] if <paramref name="accumulate"/>) + Σₖ A[r, k]·B[k, j] for r &lt; <paramref name="rows"/>,
    /// k &lt; <paramref name="depth"/>, j &lt; <paramref name="width"/>; A[r, k] is at a + r·aRow + k·aCol, row k of B
    /// at b + k·bRow, row r of C at c + r·cRow.
    /// </summary>
    private static void Multiply(ref float a, nint aRow, nint aCol, ref float b, nint bRow, ref float c, nint cRow,
        int rows, int depth, int width, bool accumulate)
    {
        if (Vector512Ops.IsHardwareAccelerated && width >= Vector512Ops.Count)
        {
            Multiply<Vector512Ops, Vector512<float>>(ref a, aRow, aCol, ref b, bRow, ref c, cRow, rows, depth, width, accumulate);
        }
        else if (Vector256Ops.IsHardwareAccelerated && width >= Vector256Ops.Count)
        {
            Multiply<Vector256Ops, Vector256<float>>(ref a, aRow, aCol, ref b, bRow, ref c, cRow, rows, depth, width, accumulate);
        }
        else if (Vector128Ops.IsHardwareAccelerated && width >= Vector128Ops.Count)
        {
            Multiply<Vector128Ops, Vector128<float>>(ref a, aRow, aCol, ref b, bRow, ref c, cRow, rows, depth, width, accumulate);
        }
        else
        {
            Multiply<ScalarOps, float>(ref a, aRow, aCol, ref b, bRow, ref c, cRow, rows, depth, width, accumulate);
        }
    }

    private static void Multiply<TOps, TVec>(ref float a, nint aRow, nint aCol, ref float b, nint bRow, ref float c, nint cRow,
        int rows, int depth, int width, bool accumulate)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int count = TOps.Count, block = TileVectors * count, j = 0;
        for (; j + block <= width; j += block)
        {
            for (int r = 0; r < rows; r += TileRows)
            {
                Tile4x3<TOps, TVec>(ref Unsafe.Add(ref a, r * aRow), aRow, aCol, ref Unsafe.Add(ref b, j), bRow,
                    ref Unsafe.Add(ref c, r * cRow + j), cRow, depth, Math.Min(TileRows, rows - r), accumulate);
            }
        }

        for (; j + count <= width; j += count)
        {
            for (int r = 0; r < rows; r += TileRows)
            {
                Tile4x1<TOps, TVec>(ref Unsafe.Add(ref a, r * aRow), aRow, aCol, ref Unsafe.Add(ref b, j), bRow,
                    ref Unsafe.Add(ref c, r * cRow + j), cRow, depth, Math.Min(TileRows, rows - r), accumulate);
            }
        }

        for (; j < width; j++)
        {
            for (int r = 0; r < rows; r += TileRows)
            {
                Tile4x1<ScalarOps, float>(ref Unsafe.Add(ref a, r * aRow), aRow, aCol, ref Unsafe.Add(ref b, j), bRow,
                    ref Unsafe.Add(ref c, r * cRow + j), cRow, depth, Math.Min(TileRows, rows - r), accumulate);
            }
        }
    }

    /// <summary>
    /// 4 rows × 3 vectors of C. With fewer than 4 <paramref name="live"/> rows the last one is repeated: the copies read
    /// the same C values before any store and store the same results, so the row is right whichever store lands last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x3<TOps, TVec>(ref float a, nint aRow, nint aCol, ref float b, nint bRow, ref float c, nint cRow,
        int depth, int live, bool accumulate)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nuint v1 = (nuint)TOps.Count, v2 = 2 * v1;
        nint r1 = Math.Min(1, live - 1), r2 = Math.Min(2, live - 1), r3 = Math.Min(3, live - 1);
        nint a1 = r1 * aRow, a2 = r2 * aRow, a3 = r3 * aRow;
        ref float c0 = ref c;
        ref float c1 = ref Unsafe.Add(ref c, r1 * cRow);
        ref float c2 = ref Unsafe.Add(ref c, r2 * cRow);
        ref float c3 = ref Unsafe.Add(ref c, r3 * cRow);
        TVec s00, s01, s02, s10, s11, s12, s20, s21, s22, s30, s31, s32;
        if (accumulate)
        {
            s00 = TOps.Load(ref c0, 0); s01 = TOps.Load(ref c0, v1); s02 = TOps.Load(ref c0, v2);
            s10 = TOps.Load(ref c1, 0); s11 = TOps.Load(ref c1, v1); s12 = TOps.Load(ref c1, v2);
            s20 = TOps.Load(ref c2, 0); s21 = TOps.Load(ref c2, v1); s22 = TOps.Load(ref c2, v2);
            s30 = TOps.Load(ref c3, 0); s31 = TOps.Load(ref c3, v1); s32 = TOps.Load(ref c3, v2);
        }
        else
        {
            s00 = TOps.Broadcast(0f);
            s01 = s00; s02 = s00; s10 = s00; s11 = s00; s12 = s00; s20 = s00; s21 = s00; s22 = s00; s30 = s00; s31 = s00; s32 = s00;
        }

        ref float ak = ref a;
        ref float bk = ref b;
        for (int k = 0; k < depth; k++)
        {
            TVec b0 = TOps.Load(ref bk, 0), b1 = TOps.Load(ref bk, v1), b2 = TOps.Load(ref bk, v2);
            TVec x = TOps.Broadcast(ak);
            s00 = TOps.MultiplyAdd(s00, x, b0);
            s01 = TOps.MultiplyAdd(s01, x, b1);
            s02 = TOps.MultiplyAdd(s02, x, b2);
            x = TOps.Broadcast(Unsafe.Add(ref ak, a1));
            s10 = TOps.MultiplyAdd(s10, x, b0);
            s11 = TOps.MultiplyAdd(s11, x, b1);
            s12 = TOps.MultiplyAdd(s12, x, b2);
            x = TOps.Broadcast(Unsafe.Add(ref ak, a2));
            s20 = TOps.MultiplyAdd(s20, x, b0);
            s21 = TOps.MultiplyAdd(s21, x, b1);
            s22 = TOps.MultiplyAdd(s22, x, b2);
            x = TOps.Broadcast(Unsafe.Add(ref ak, a3));
            s30 = TOps.MultiplyAdd(s30, x, b0);
            s31 = TOps.MultiplyAdd(s31, x, b1);
            s32 = TOps.MultiplyAdd(s32, x, b2);
            ak = ref Unsafe.Add(ref ak, aCol);
            bk = ref Unsafe.Add(ref bk, bRow);
        }

        TOps.Store(s30, ref c3, 0); TOps.Store(s31, ref c3, v1); TOps.Store(s32, ref c3, v2);
        TOps.Store(s20, ref c2, 0); TOps.Store(s21, ref c2, v1); TOps.Store(s22, ref c2, v2);
        TOps.Store(s10, ref c1, 0); TOps.Store(s11, ref c1, v1); TOps.Store(s12, ref c1, v2);
        TOps.Store(s00, ref c0, 0); TOps.Store(s01, ref c0, v1); TOps.Store(s02, ref c0, v2);
    }

    /// <summary>4 rows × 1 vector of C, for the features past the last 3-vector block; rows as in <see cref="Tile4x3"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1<TOps, TVec>(ref float a, nint aRow, nint aCol, ref float b, nint bRow, ref float c, nint cRow,
        int depth, int live, bool accumulate)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        nint r1 = Math.Min(1, live - 1), r2 = Math.Min(2, live - 1), r3 = Math.Min(3, live - 1);
        nint a1 = r1 * aRow, a2 = r2 * aRow, a3 = r3 * aRow;
        ref float c0 = ref c;
        ref float c1 = ref Unsafe.Add(ref c, r1 * cRow);
        ref float c2 = ref Unsafe.Add(ref c, r2 * cRow);
        ref float c3 = ref Unsafe.Add(ref c, r3 * cRow);
        TVec s0, s1, s2, s3;
        if (accumulate)
        {
            s0 = TOps.Load(ref c0, 0);
            s1 = TOps.Load(ref c1, 0);
            s2 = TOps.Load(ref c2, 0);
            s3 = TOps.Load(ref c3, 0);
        }
        else
        {
            s0 = TOps.Broadcast(0f);
            s1 = s0;
            s2 = s0;
            s3 = s0;
        }

        ref float ak = ref a;
        ref float bk = ref b;
        for (int k = 0; k < depth; k++)
        {
            TVec b0 = TOps.Load(ref bk, 0);
            s0 = TOps.MultiplyAdd(s0, TOps.Broadcast(ak), b0);
            s1 = TOps.MultiplyAdd(s1, TOps.Broadcast(Unsafe.Add(ref ak, a1)), b0);
            s2 = TOps.MultiplyAdd(s2, TOps.Broadcast(Unsafe.Add(ref ak, a2)), b0);
            s3 = TOps.MultiplyAdd(s3, TOps.Broadcast(Unsafe.Add(ref ak, a3)), b0);
            ak = ref Unsafe.Add(ref ak, aCol);
            bk = ref Unsafe.Add(ref bk, bRow);
        }

        TOps.Store(s3, ref c3, 0);
        TOps.Store(s2, ref c2, 0);
        TOps.Store(s1, ref c1, 0);
        TOps.Store(s0, ref c0, 0);
    }
}
