using System;
using System.Collections.Generic;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The staged layout the general (and generated) kernels read without bounds tests: borders filled by the padding mode,
/// and for stride S the padded row split into S phases, column c at phase c mod S, index c / S.
/// </summary>
public class PlaneStagingTests
{
    [Fact]
    public void Stride_1_surrounds_the_plane_with_zero_padding()
    {
        // 2×3 plane, padding 1 row and 2 columns: 4 rows of 3 + 2·2 = 7.
        float[] plane = [1, 2, 3, 4, 5, 6];
        var staged = new float[4 * 7];
        staged.AsSpan().Fill(float.NaN); // scratch memory arrives dirty

        PlaneStaging.Stage(plane, 2, 3, staged, 1, 2, 1);

        Assert.Equal(7, PlaneStaging.PhaseLength(3, 2, 1));
        Assert.Equal(new float[]
        {
            0, 0, 0, 0, 0, 0, 0,
            0, 0, 1, 2, 3, 0, 0,
            0, 0, 4, 5, 6, 0, 0,
            0, 0, 0, 0, 0, 0, 0,
        }, staged);
    }

    [Fact]
    public void Stride_2_splits_each_padded_row_into_even_and_odd_columns()
    {
        // Width 5 padded by 1 is 7 columns (pad, a..e, pad); phase length ceil(7 / 2) = 4, so each row is 8 floats:
        // phase 0 = columns 0, 2, 4, 6 = (pad, b, d, pad); phase 1 = columns 1, 3, 5, (7) = (a, c, e, 0).
        float[] plane = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var staged = new float[(2 + 2) * 8];
        staged.AsSpan().Fill(float.NaN);

        PlaneStaging.Stage(plane, 2, 5, staged, 1, 1, 2);

        Assert.Equal(4, PlaneStaging.PhaseLength(5, 1, 2));
        Assert.Equal(new float[]
        {
            0, 0, 0, 0, /**/ 0, 0, 0, 0,
            0, 2, 4, 0, /**/ 1, 3, 5, 0,
            0, 7, 9, 0, /**/ 6, 8, 10, 0,
            0, 0, 0, 0, /**/ 0, 0, 0, 0,
        }, staged);
    }

    [Theory]
    [InlineData(5, 7, 1, 1, 1, 1, 3, 3)]
    [InlineData(5, 7, 1, 2, 2, 1, 3, 3)]
    [InlineData(6, 11, 2, 3, 3, 2, 3, 3)]
    [InlineData(4, 9, 0, 1, 2, 3, 2, 3)]
    [InlineData(3, 8, 1, 0, 3, 1, 1, 5)]
    public void The_documented_read_rule_finds_every_tap_of_every_output_pixel(int h, int w, int padH, int padW, int strideW, int dilationW, int kh, int kw)
    {
        // Output pixel (oy, ox), tap (ky, kx) reads staged row oy·Sh + ky·Dh (Sh = Dh = 1 here), phase (kx·Dw) mod Sw,
        // index ox + (kx·Dw) / Sw; that must be input (row − padH, ox·Sw + kx·Dw − padW), or 0 in the padding.
        var rng = new Random(h * 100 + w);
        float[] plane = Tensors.Random(rng, h * w);
        int phaseLength = PlaneStaging.PhaseLength(w, padW, strideW);
        int rowStride = strideW * phaseLength;
        var staged = new float[(h + 2 * padH) * rowStride];
        PlaneStaging.Stage(plane, h, w, staged, padH, padW, strideW);

        int outH = (int)ConvGen.ConvArithmetic.OutputSize(h, kh, padH, padH, 1, 1);
        int outW = (int)ConvGen.ConvArithmetic.OutputSize(w, kw, padW, padW, strideW, dilationW);
        for (int oy = 0; oy < outH; oy++)
        {
            for (int ky = 0; ky < kh; ky++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int row = oy + ky;
                        int index = (kx * dilationW) % strideW * phaseLength + ox + (kx * dilationW) / strideW;
                        Assert.InRange(ox + (kx * dilationW) / strideW, 0, phaseLength - 1);
                        int iy = row - padH, ix = ox * strideW + kx * dilationW - padW;
                        float expected = iy >= 0 && iy < h && ix >= 0 && ix < w ? plane[iy * w + ix] : 0f;
                        Assert.Equal(expected, staged[row * rowStride + index]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(5, 7, 1, 1, 1)]
    [InlineData(6, 33, 2, 3, 2)]
    [InlineData(3, 16, 0, 0, 3)]
    public void Rows_at_a_64_byte_pitch_hold_the_same_phases_as_packed_rows(int h, int w, int padH, int padW, int strideW)
    {
        var rng = new Random(h * 31 + w);
        float[] plane = Tensors.Random(rng, h * w);
        int packed = strideW * PlaneStaging.PhaseLength(w, padW, strideW);
        int aligned = PlaneStaging.AlignedRowStride(w, padW, strideW);
        Assert.Equal(0, aligned % 16);
        Assert.InRange(aligned - packed, 0, 15);

        var expected = new float[(h + 2 * padH) * packed];
        var actual = new float[(h + 2 * padH) * aligned];
        actual.AsSpan().Fill(float.NaN);
        PlaneStaging.Stage(plane, h, w, expected, padH, padW, strideW);
        PlaneStaging.Stage(plane, h, w, actual, padH, padW, strideW, aligned);
        for (int row = 0; row < h + 2 * padH; row++)
        {
            Assert.Equal(expected.AsSpan(row * packed, packed).ToArray(), actual.AsSpan(row * aligned, packed).ToArray());
        }
    }

    [Fact]
    public void A_destination_of_the_wrong_size_is_an_argument_exception_naming_both_sizes()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => PlaneStaging.Stage(new float[6], 2, 3, new float[27], 1, 2, 1));

        Assert.Contains("28 destination", e.Message, StringComparison.Ordinal);
        Assert.Contains("got 6 and 27", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-2, 2)]
    [InlineData(-1, 1)]
    [InlineData(0, 0)]
    [InlineData(3, 3)]
    [InlineData(4, 2)]
    [InlineData(5, 1)]
    [InlineData(6, 0)]
    public void SourceIndex_reflects_without_repeating_the_edge(int i, int expected)
        => Assert.Equal(expected, PlaneStaging.SourceIndex(i, 4, PaddingMode.Reflect));

    [Theory]
    [InlineData(-3, 0)]
    [InlineData(-1, 0)]
    [InlineData(2, 2)]
    [InlineData(4, 3)]
    [InlineData(6, 3)]
    public void SourceIndex_replicates_the_edge(int i, int expected)
        => Assert.Equal(expected, PlaneStaging.SourceIndex(i, 4, PaddingMode.Replicate));

    [Theory]
    [InlineData(-4, 0)]
    [InlineData(-1, 3)]
    [InlineData(1, 1)]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(7, 3)]
    public void SourceIndex_wraps_around_circularly(int i, int expected)
        => Assert.Equal(expected, PlaneStaging.SourceIndex(i, 4, PaddingMode.Circular));

    [Theory]
    [InlineData(-1, -1)]
    [InlineData(0, 0)]
    [InlineData(3, 3)]
    [InlineData(4, -1)]
    public void SourceIndex_marks_zero_padding_with_minus_one(int i, int expected)
        => Assert.Equal(expected, PlaneStaging.SourceIndex(i, 4, PaddingMode.Zeros));

    [Fact]
    public void SourceIndex_of_a_single_element_axis_replicates_and_wraps_to_it()
    {
        Assert.Equal(0, PlaneStaging.SourceIndex(-1, 1, PaddingMode.Replicate));
        Assert.Equal(0, PlaneStaging.SourceIndex(1, 1, PaddingMode.Circular));
        Assert.Equal(0, PlaneStaging.SourceIndex(-1, 1, PaddingMode.Circular));
    }

    [Fact]
    public void Reflect_stride_2_pads_each_side_by_its_own_amount()
    {
        // Row a b c d, reflected 2 left and 1 right: c b | a b c d | c, 7 columns; phase length 4:
        // phase 0 = columns 0, 2, 4, 6 = (c, a, c, c); phase 1 = columns 1, 3, 5, (7) = (b, b, d, 0).
        // Rows: 1 reflected above (the second row), none below.
        float[] plane = [1, 2, 3, 4, 5, 6, 7, 8];
        var staged = new float[3 * 8];
        staged.AsSpan().Fill(float.NaN);

        PlaneStaging.Stage(plane, 2, 4, staged, 1, 0, 2, 1, 2, 8, PaddingMode.Reflect);

        Assert.Equal(new float[]
        {
            7, 5, 7, 7, /**/ 6, 6, 8, 0,
            3, 1, 3, 3, /**/ 2, 2, 4, 0,
            7, 5, 7, 7, /**/ 6, 6, 8, 0,
        }, staged);
    }

    [Fact]
    public void Circular_stride_1_wraps_a_padding_as_wide_as_the_plane()
    {
        // Row a b, wrapped 2 left and 0 right; one row: 1 above (wraps to itself) and 1 below.
        float[] plane = [1, 2];
        var staged = new float[3 * 4];

        PlaneStaging.Stage(plane, 1, 2, staged, 1, 1, 2, 0, 1, 4, PaddingMode.Circular);

        Assert.Equal(new float[] { 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2 }, staged);
    }

    public static IEnumerable<object[]> ModeStrideWidth()
    {
        foreach (PaddingMode mode in Enum.GetValues<PaddingMode>())
        {
            foreach (int stride in new[] { 1, 2, 3 })
            {
                foreach (int width in new[] { 1, 2, 3, 5, 17, 20, 37 })
                {
                    yield return [mode, stride, width];
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ModeStrideWidth))]
    public void Every_mode_stages_asymmetric_padding_as_the_padded_plane_split_into_phases(PaddingMode mode, int strideW, int width)
    {
        var rng = new Random((int)mode * 1000 + strideW * 100 + width);
        foreach (int height in new[] { 1, 4 })
        {
            float[] plane = Tensors.Random(rng, height * width);
            foreach ((int top, int bottom) in PadPairs(height, mode, 2))
            {
                foreach ((int left, int right) in PadPairs(width, mode, 5))
                {
                    int packed = strideW * PlaneStaging.PhaseLength(width, left, right, strideW);
                    float[,] expected = PaddedPhases(plane, height, width, top, bottom, left, right, strideW, mode);
                    foreach (int rowStride in new[] { packed, packed + 5, PlaneStaging.AlignedRowStride(width, left, right, strideW) })
                    {
                        var staged = new float[(height + top + bottom) * rowStride];
                        staged.AsSpan().Fill(float.NaN);

                        PlaneStaging.Stage(plane, height, width, staged, top, bottom, left, right, strideW, rowStride, mode);

                        Assert.Equal(expected.GetLength(1), packed);
                        for (int r = 0; r < expected.GetLength(0); r++)
                        {
                            for (int k = 0; k < packed; k++)
                            {
                                if (expected[r, k] != staged[r * rowStride + k])
                                {
                                    Assert.Fail($"{mode} {height}x{width}, pads t{top} b{bottom} l{left} r{right}, stride {strideW}, row stride {rowStride}: " +
                                        $"row {r} slot {k} is {staged[r * rowStride + k]}, expected {expected[r, k]}.");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(5, 7, 1, 2, 1)]
    [InlineData(6, 33, 2, 3, 2)]
    [InlineData(3, 16, 0, 0, 3)]
    public void The_symmetric_overloads_stage_as_zero_mode_with_equal_pads(int h, int w, int padH, int padW, int strideW)
    {
        var rng = new Random(h * 7 + w);
        float[] plane = Tensors.Random(rng, h * w);
        int rowStride = PlaneStaging.AlignedRowStride(w, padW, strideW);
        Assert.Equal(PlaneStaging.PhaseLength(w, padW, padW, strideW), PlaneStaging.PhaseLength(w, padW, strideW));
        Assert.Equal(PlaneStaging.AlignedRowStride(w, padW, padW, strideW), rowStride);

        var symmetric = new float[(h + 2 * padH) * rowStride];
        var general = new float[symmetric.Length];
        PlaneStaging.Stage(plane, h, w, symmetric, padH, padW, strideW, rowStride);
        PlaneStaging.Stage(plane, h, w, general, padH, padH, padW, padW, strideW, rowStride, PaddingMode.Zeros);

        Assert.Equal(general, symmetric);
    }

    [Theory]
    [InlineData(PaddingMode.Reflect, 3, 0)]
    [InlineData(PaddingMode.Reflect, 0, 4)]
    [InlineData(PaddingMode.Circular, 5, 0)]
    public void Padding_a_mode_cannot_fill_is_an_argument_exception(PaddingMode mode, int left, int right)
    {
        // A 2x3 plane: reflection needs pads below 3, wrapping at most 3.
        int stride = PlaneStaging.PhaseLength(3, left, right, 1);
        Assert.Throws<ArgumentException>(() => PlaneStaging.Stage(new float[6], 2, 3, new float[2 * stride], 0, 0, left, right, 1, stride, mode));
    }

    /// <summary>Pad pairs to try on an axis of n: small, zero on one side, and the largest the mode allows.</summary>
    private static IEnumerable<(int Begin, int End)> PadPairs(int n, PaddingMode mode, int large)
    {
        int max = mode switch { PaddingMode.Reflect => n - 1, PaddingMode.Circular => n, _ => large + 3 };
        int[] candidates = [0, 1, 2, large, max];
        var seen = new HashSet<(int, int)>();
        foreach (int a in candidates)
        {
            foreach (int b in candidates)
            {
                if (a <= max && b <= max && seen.Add((a, b)))
                {
                    yield return (a, b);
                }
            }
        }
    }

    /// <summary>
    /// The staged plane built the long way: the whole padded plane from the mode's definition, then each padded row
    /// dealt out to phases, zero past the padded width.
    /// </summary>
    private static float[,] PaddedPhases(float[] plane, int h, int w, int top, int bottom, int left, int right, int s, PaddingMode mode)
    {
        int paddedH = h + top + bottom, paddedW = w + left + right;
        var padded = new float[paddedH, paddedW];
        for (int r = 0; r < paddedH; r++)
        {
            for (int c = 0; c < paddedW; c++)
            {
                int y = Fill(r - top, h, mode), x = Fill(c - left, w, mode);
                padded[r, c] = y < 0 || x < 0 ? 0f : plane[y * w + x];
            }
        }

        int phaseLength = (paddedW + s - 1) / s;
        var staged = new float[paddedH, s * phaseLength];
        for (int r = 0; r < paddedH; r++)
        {
            for (int c = 0; c < paddedW; c++)
            {
                staged[r, c % s * phaseLength + c / s] = padded[r, c];
            }
        }

        return staged;
    }

    /// <summary>PyTorch's padding by definition, one step at a time; −1 for zero.</summary>
    private static int Fill(int i, int n, PaddingMode mode)
    {
        if (i >= 0 && i < n)
        {
            return i;
        }

        switch (mode)
        {
            case PaddingMode.Reflect:
                // Mirror about the edge element: the step past the edge lands one inside it.
                return i < 0 ? 0 + (0 - i) : (n - 1) - (i - (n - 1));
            case PaddingMode.Replicate:
                return i < 0 ? 0 : n - 1;
            case PaddingMode.Circular:
                while (i < 0)
                {
                    i += n;
                }

                while (i >= n)
                {
                    i -= n;
                }

                return i;
            default:
                return -1;
        }
    }
}
