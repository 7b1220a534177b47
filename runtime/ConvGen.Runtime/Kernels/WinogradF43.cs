using System;
using System.ComponentModel;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen.Internal;

/// <summary>
/// What every generated Winograd F(4x4, 3x3) kernel shares (Lavin and Gray, interpolation points 0, ±1, ±2, ∞): each
/// 4x4 output tile is computed from its 6x6 input tile with 36 multiplies per (filter, input channel) instead of 144,
/// as 36 independent GEMMs (one per transformed point) between an input and an output transform.
/// </summary>
/// <remarks>
/// <para>Tiles lie on a grid of <c>tilesX</c> columns; a block of whole tile rows is flattened, so tile
/// <c>row · tilesX + column</c> of a block is one lane position. Every transformed array stores one point (or one
/// filter, or one channel) as a row of <c>blockStride</c> floats over the block's tiles, so the GEMM reads and writes
/// whole vectors of tiles and the transforms vectorize over tile columns.</para>
/// <para>Lane j of a vector needs input columns 4j..4j+5 of the padded plane: a stride-4 gather. Staging splits each
/// padded row into four column phases (column c goes to phase c mod 4, index c / 4), after which the six columns of
/// tiles j..j+n are six contiguous loads: phases 0-3 at j and phases 0-1 at j + 1.</para>
/// <para>The generated kernel emits the transforms per vector width; this class holds what is the same for every
/// geometry: weight packing, staging, and the interleave that turns four column-phase vectors back into a row.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WinogradF43
{
    /// <summary>Transformed points per tile: 6x6.</summary>
    public const int Points = 36;

    /// <inheritdoc cref="WinogradLayout.PhaseLength"/>
    public static int PhaseLength(int tilesX) => WinogradLayout.PhaseLength(tilesX);

    /// <inheritdoc cref="WinogradLayout.StagedLength"/>
    public static int StagedLength(int tileRows, int tilesX) => WinogradLayout.StagedLength(tileRows, tilesX);

    /// <inheritdoc cref="WinogradLayout.PaddedFilters"/>
    public static int PaddedFilters(int outChannels, int filters) => WinogradLayout.PaddedFilters(outChannels, filters);

    /// <summary>
    /// The transformed weights for <paramref name="weights"/> (OIHW, 3x3), computed again only when the weights differ from
    /// the copy they were last computed from. Layout: [point][filter tile][input channel][filter in tile], zero filters
    /// padding the last tile.
    /// </summary>
    /// <remarks>
    /// Comparing against a copy rather than tracking writes is what makes "writes to Weights are honored by the next
    /// Forward" hold even for a span obtained before an earlier call. The comparison reads the weights and the copy:
    /// about 55 microseconds at 128x128 channels, some 6% of that layer's Forward.
    /// </remarks>
    public static float[] Pack(float[] weights, int outChannels, int inChannels, int filters, ref float[]? packed, ref float[]? source)
    {
        float[]? current = packed;
        if (current is not null && source is not null && current.Length == Points * PaddedFilters(outChannels, filters) * inChannels
            && Same(weights, source))
        {
            return current;
        }

        lock (weights)
        {
            if (packed is not null && source is not null && packed.Length == Points * PaddedFilters(outChannels, filters) * inChannels
                && Same(weights, source))
            {
                return packed;
            }

            source ??= new float[weights.Length];
            int length = Points * PaddedFilters(outChannels, filters) * inChannels;
            if (packed is null || packed.Length != length)
            {
                packed = new float[length];
            }

            weights.AsSpan().CopyTo(source);
            TransformWeights(source, outChannels, inChannels, filters, packed);
            return packed;
        }
    }

    /// <summary>Bitwise equality, compared as bytes: vectorized, and a NaN weight equals itself.</summary>
    private static bool Same(float[] weights, float[] source)
        => MemoryMarshal.AsBytes(weights.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(source.AsSpan()));

    /// <summary>U = G·g·Gᵀ per (filter, input channel), in double so the transform adds no rounding of its own.</summary>
    private static void TransformWeights(ReadOnlySpan<float> weights, int outChannels, int inChannels, int filters, Span<float> packed)
    {
        int tiles = PaddedFilters(outChannels, filters) / filters;
        packed.Clear();
        Span<double> gg = stackalloc double[18];
        Span<double> u = stackalloc double[6];
        for (int oc = 0; oc < outChannels; oc++)
        {
            for (int ic = 0; ic < inChannels; ic++)
            {
                ReadOnlySpan<float> g = weights.Slice((oc * inChannels + ic) * 9, 9);

                // Columns first: gg[m, l] = Σk G[m, k]·g[k, l].
                for (int l = 0; l < 3; l++)
                {
                    double g0 = g[l], g1 = g[3 + l], g2 = g[6 + l];
                    G(g0, g1, g2, gg, l, 3);
                }

                int tile = oc / filters, k = oc % filters;
                for (int m = 0; m < 6; m++)
                {
                    G(gg[m * 3], gg[m * 3 + 1], gg[m * 3 + 2], u, 0, 1);
                    for (int i = 0; i < 6; i++)
                    {
                        packed[(((m * 6 + i) * tiles + tile) * inChannels + ic) * filters + k] = (float)u[i];
                    }
                }
            }
        }
    }

    /// <summary>The six rows of G (6x3) applied to (g0, g1, g2), written at offset, offset + stride, ...</summary>
    private static void G(double g0, double g1, double g2, Span<double> to, int offset, int stride)
    {
        to[offset] = g0 / 4;
        to[offset + stride] = -(g0 + g1 + g2) / 6;
        to[offset + 2 * stride] = -(g0 - g1 + g2) / 6;
        to[offset + 3 * stride] = g0 / 24 + g1 / 12 + g2 / 6;
        to[offset + 4 * stride] = g0 / 24 - g1 / 12 + g2 / 6;
        to[offset + 5 * stride] = g2;
    }

    /// <summary>
    /// Copies padded rows <paramref name="firstRow"/>.. of one input plane (row r of the padded plane is input row
    /// r − padH) into <paramref name="staged"/> as [row][phase][index], zeros standing in for the padding and for the
    /// columns past the last tile. Needs <see cref="StagedLength"/> floats; the last row's worth is a work buffer.
    /// </summary>
    public static void Stage(ReadOnlySpan<float> plane, int height, int width, int padH, int padW, int firstRow, int tileRows, int tilesX, Span<float> staged)
    {
        int rows = 4 * tileRows + 2, phase = PhaseLength(tilesX);
        if (plane.Length != height * width || staged.Length < StagedLength(tileRows, tilesX) || width + padW > 4 * phase)
        {
            throw new ArgumentException($"Winograd staging: a {height}x{width} plane into {staged.Length} floats for {tileRows} tile rows of {tilesX}.");
        }

        // One padded row: zero borders written once, the input copied in per row, then split into phases a whole
        // vector at a time, borders included, so no column is tested.
        Span<float> padded = staged.Slice(rows * 4 * phase, 4 * phase);
        padded.Clear();
        ref float dst0 = ref MemoryMarshal.GetReference(staged);
        ref float row = ref MemoryMarshal.GetReference(padded);
        for (int r = 0; r < rows; r++)
        {
            int y = firstRow + r - padH;
            ref float dst = ref Unsafe.Add(ref dst0, r * 4 * phase);
            if ((uint)y >= (uint)height)
            {
                staged.Slice(r * 4 * phase, 4 * phase).Clear();
                continue;
            }

            plane.Slice(y * width, width).CopyTo(padded.Slice(padW));
            if (Avx512F.IsSupported)
            {
                for (int j = 0; j < phase; j += 16)
                {
                    SplitPhases(ref Unsafe.Add(ref row, 4 * j), ref Unsafe.Add(ref dst, j), phase);
                }
            }
            else
            {
                for (int j = 0; j < phase; j++)
                {
                    ref float c = ref Unsafe.Add(ref row, 4 * j);
                    Unsafe.Add(ref dst, j) = c;
                    Unsafe.Add(ref dst, phase + j) = Unsafe.Add(ref c, 1);
                    Unsafe.Add(ref dst, 2 * phase + j) = Unsafe.Add(ref c, 2);
                    Unsafe.Add(ref dst, 3 * phase + j) = Unsafe.Add(ref c, 3);
                }
            }
        }
    }

    /// <summary>64 consecutive floats into 16 of each of the four column phases, with eight two-source permutes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SplitPhases(ref float src, ref float dst, int phase)
    {
        Vector512<float> s0 = Vector512.LoadUnsafe(ref src), s1 = Vector512.LoadUnsafe(ref src, 16);
        Vector512<float> s2 = Vector512.LoadUnsafe(ref src, 32), s3 = Vector512.LoadUnsafe(ref src, 48);
        Vector512<int> even = Vector512.Create(0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
        Vector512<int> odd = Vector512.Create(2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
        Vector512<int> low = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
        Vector512<int> high = Vector512.Create(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);

        // Phases 0|1 and 2|3 of columns 0-31, then of 32-63; then each phase's two halves side by side.
        Vector512<float> a01 = Avx512F.PermuteVar16x32x2(s0, even, s1), a23 = Avx512F.PermuteVar16x32x2(s0, odd, s1);
        Vector512<float> b01 = Avx512F.PermuteVar16x32x2(s2, even, s3), b23 = Avx512F.PermuteVar16x32x2(s2, odd, s3);
        Avx512F.PermuteVar16x32x2(a01, low, b01).StoreUnsafe(ref dst);
        Avx512F.PermuteVar16x32x2(a01, high, b01).StoreUnsafe(ref dst, (nuint)phase);
        Avx512F.PermuteVar16x32x2(a23, low, b23).StoreUnsafe(ref dst, (nuint)(2 * phase));
        Avx512F.PermuteVar16x32x2(a23, high, b23).StoreUnsafe(ref dst, (nuint)(3 * phase));
    }

    /// <summary>
    /// Writes the first <paramref name="columns"/> floats of the row whose column 4j + c is lane j of <paramref name="c0"/>..
    /// <paramref name="c3"/> (the output transform's four column phases).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(Vector512<float> c0, Vector512<float> c1, Vector512<float> c2, Vector512<float> c3, ref float row, int columns)
    {
        if (Avx512F.IsSupported)
        {
            // Pairs (c0[j], c1[j]) and (c2[j], c3[j]) for j = 0-7 and 8-15, then the pairs of pairs as 64-bit lanes.
            Vector512<int> low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
            Vector512<int> high = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
            Vector512<long> low64 = Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11), high64 = Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15);
            Vector512<double> a = Avx512F.PermuteVar16x32x2(c0, low, c1).AsDouble(), b = Avx512F.PermuteVar16x32x2(c0, high, c1).AsDouble();
            Vector512<double> c = Avx512F.PermuteVar16x32x2(c2, low, c3).AsDouble(), d = Avx512F.PermuteVar16x32x2(c2, high, c3).AsDouble();
            Store(Avx512F.PermuteVar8x64x2(a, low64, c).AsSingle(), ref row, 0, columns);
            Store(Avx512F.PermuteVar8x64x2(a, high64, c).AsSingle(), ref row, 16, columns);
            Store(Avx512F.PermuteVar8x64x2(b, low64, d).AsSingle(), ref row, 32, columns);
            Store(Avx512F.PermuteVar8x64x2(b, high64, d).AsSingle(), ref row, 48, columns);
            return;
        }

        Span<float> phases = stackalloc float[64];
        ref float p = ref MemoryMarshal.GetReference(phases);
        c0.StoreUnsafe(ref p);
        c1.StoreUnsafe(ref p, 16);
        c2.StoreUnsafe(ref p, 32);
        c3.StoreUnsafe(ref p, 48);
        Interleave(ref p, 16, ref row, columns);
    }

    /// <inheritdoc cref="StoreInterleaved(Vector512{float}, Vector512{float}, Vector512{float}, Vector512{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(Vector256<float> c0, Vector256<float> c1, Vector256<float> c2, Vector256<float> c3, ref float row, int columns)
    {
        if (Avx.IsSupported)
        {
            // Within each 128-bit half: pairs, then pairs of pairs = columns of tiles j and j + 4; then the halves apart.
            Vector256<double> a = Avx.UnpackLow(c0, c1).AsDouble(), b = Avx.UnpackHigh(c0, c1).AsDouble();
            Vector256<double> c = Avx.UnpackLow(c2, c3).AsDouble(), d = Avx.UnpackHigh(c2, c3).AsDouble();
            Vector256<float> t0 = Avx.UnpackLow(a, c).AsSingle(), t1 = Avx.UnpackHigh(a, c).AsSingle();
            Vector256<float> t2 = Avx.UnpackLow(b, d).AsSingle(), t3 = Avx.UnpackHigh(b, d).AsSingle();
            Store(Avx.Permute2x128(t0, t1, 0x20), ref row, 0, columns);
            Store(Avx.Permute2x128(t2, t3, 0x20), ref row, 8, columns);
            Store(Avx.Permute2x128(t0, t1, 0x31), ref row, 16, columns);
            Store(Avx.Permute2x128(t2, t3, 0x31), ref row, 24, columns);
            return;
        }

        Span<float> phases = stackalloc float[32];
        ref float p = ref MemoryMarshal.GetReference(phases);
        c0.StoreUnsafe(ref p);
        c1.StoreUnsafe(ref p, 8);
        c2.StoreUnsafe(ref p, 16);
        c3.StoreUnsafe(ref p, 24);
        Interleave(ref p, 8, ref row, columns);
    }

    /// <inheritdoc cref="StoreInterleaved(Vector512{float}, Vector512{float}, Vector512{float}, Vector512{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(Vector128<float> c0, Vector128<float> c1, Vector128<float> c2, Vector128<float> c3, ref float row, int columns)
    {
        if (Sse.IsSupported)
        {
            Vector128<float> a = Sse.UnpackLow(c0, c1), b = Sse.UnpackHigh(c0, c1);
            Vector128<float> c = Sse.UnpackLow(c2, c3), d = Sse.UnpackHigh(c2, c3);
            Store(Sse.MoveLowToHigh(a, c), ref row, 0, columns);
            Store(Sse.MoveHighToLow(c, a), ref row, 4, columns);
            Store(Sse.MoveLowToHigh(b, d), ref row, 8, columns);
            Store(Sse.MoveHighToLow(d, b), ref row, 12, columns);
            return;
        }

        Span<float> phases = stackalloc float[16];
        ref float p = ref MemoryMarshal.GetReference(phases);
        c0.StoreUnsafe(ref p);
        c1.StoreUnsafe(ref p, 4);
        c2.StoreUnsafe(ref p, 8);
        c3.StoreUnsafe(ref p, 12);
        Interleave(ref p, 4, ref row, columns);
    }

    /// <summary>Stores the part of <paramref name="value"/> (row columns start..) that lies before <paramref name="columns"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> value, ref float row, int start, int columns)
    {
        if (start + 16 <= columns)
        {
            value.StoreUnsafe(ref row, (nuint)start);
        }
        else if (start < columns)
        {
            Store(value.GetLower(), ref row, start, columns);
            Store(value.GetUpper(), ref row, start + 8, columns);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> value, ref float row, int start, int columns)
    {
        if (start + 8 <= columns)
        {
            value.StoreUnsafe(ref row, (nuint)start);
        }
        else if (start < columns)
        {
            Store(value.GetLower(), ref row, start, columns);
            Store(value.GetUpper(), ref row, start + 4, columns);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<float> value, ref float row, int start, int columns)
    {
        if (start + 4 <= columns)
        {
            value.StoreUnsafe(ref row, (nuint)start);
            return;
        }

        for (int i = 0; start + i < columns; i++)
        {
            Unsafe.Add(ref row, start + i) = value.GetElement(i);
        }
    }

    private static void Interleave(ref float phases, int lanes, ref float row, int columns)
    {
        for (int x = 0; x < columns; x++)
        {
            Unsafe.Add(ref row, x) = Unsafe.Add(ref phases, (x & 3) * lanes + (x >> 2));
        }
    }

}
