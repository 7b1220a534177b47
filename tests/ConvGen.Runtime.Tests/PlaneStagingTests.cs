using System;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The staged layout the general (and generated) kernels read without bounds tests: zero borders, and for stride
/// S the padded row split into S phases, column c at phase c mod S, index c / S.
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
}
