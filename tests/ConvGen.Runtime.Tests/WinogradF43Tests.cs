using System;
using System.Runtime.Intrinsics;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The geometry-independent parts of Winograd F(4x4,3x3) that generated kernels call: weight packing, phase-split
/// staging and the interleave back into rows. Run on every SIMD path CI forces, so each interleave branch is covered.
/// </summary>
public class WinogradF43Tests
{
    // G of F(4x4,3x3) with points 0, 1, -1, 2, -2 and infinity (Lavin and Gray), written out independently here.
    private static readonly double[,] G =
    {
        { 1.0 / 4, 0, 0 },
        { -1.0 / 6, -1.0 / 6, -1.0 / 6 },
        { -1.0 / 6, 1.0 / 6, -1.0 / 6 },
        { 1.0 / 24, 1.0 / 12, 1.0 / 6 },
        { 1.0 / 24, -1.0 / 12, 1.0 / 6 },
        { 0, 0, 1 },
    };

    [Fact]
    public void Packed_weights_are_G_g_Gt_in_point_tile_channel_filter_order_with_zero_filters_padding_the_last_tile()
    {
        const int cout = 5, cin = 3, filters = 4;
        float[] weights = Tensors.Random(new Random(1), cout * cin * 9);
        float[]? packed = null, source = null;
        float[] u = WinogradF43.Pack(weights, cout, cin, filters, ref packed, ref source);

        int tiles = WinogradF43.PaddedFilters(cout, filters) / filters;
        Assert.Equal(36 * tiles * filters * cin, u.Length);
        for (int oc = 0; oc < tiles * filters; oc++)
        {
            for (int ic = 0; ic < cin; ic++)
            {
                for (int m = 0; m < 6; m++)
                {
                    for (int i = 0; i < 6; i++)
                    {
                        double expected = 0;
                        for (int k = 0; oc < cout && k < 3; k++)
                        {
                            for (int l = 0; l < 3; l++)
                            {
                                expected += G[m, k] * weights[((oc * cin) + ic) * 9 + k * 3 + l] * G[i, l];
                            }
                        }

                        float actual = u[((((m * 6) + i) * tiles + oc / filters) * cin + ic) * filters + oc % filters];
                        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"U[{m},{i}] of filter {oc}, channel {ic}: {actual} vs {expected}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Unchanged_weights_are_not_packed_again_and_a_changed_weight_is()
    {
        float[] weights = Tensors.Random(new Random(2), 4 * 2 * 9);
        float[]? packed = null, source = null;
        float[] first = WinogradF43.Pack(weights, 4, 2, 4, ref packed, ref source);
        float[] copy = (float[])first.Clone();
        Assert.Same(first, WinogradF43.Pack(weights, 4, 2, 4, ref packed, ref source));

        weights[9 * 3 + 4] += 1; // filter 1, channel 1, centre tap
        float[] second = WinogradF43.Pack(weights, 4, 2, 4, ref packed, ref source);
        Assert.Same(first, second); // repacked in place: no allocation per weight change
        Assert.NotEqual(copy, second);
    }

    [Theory]
    [InlineData(7, 9, 1, 1, 0, 2)]
    [InlineData(13, 70, 2, 2, 1, 3)]
    [InlineData(6, 6, 0, 0, 0, 1)]
    public void Staging_puts_padded_column_4j_plus_p_at_phase_p_index_j(int h, int w, int padH, int padW, int firstTileRow, int tileRows)
    {
        float[] plane = Tensors.Random(new Random(h * 100 + w), h * w);
        int tilesX = (w + 2 * padW - 2 + 3) / 4, phase = WinogradF43.PhaseLength(tilesX);
        var staged = new float[WinogradF43.StagedLength(tileRows, tilesX)];
        staged.AsSpan().Fill(float.NaN);
        WinogradF43.Stage(plane, h, w, padH, padW, 4 * firstTileRow, tileRows, tilesX, staged);

        for (int r = 0; r < 4 * tileRows + 2; r++)
        {
            for (int p = 0; p < 4; p++)
            {
                for (int j = 0; j < phase; j++)
                {
                    int y = 4 * firstTileRow + r - padH, x = 4 * j + p - padW;
                    float expected = y >= 0 && y < h && x >= 0 && x < w ? plane[y * w + x] : 0f;
                    Assert.Equal(expected, staged[(r * 4 + p) * phase + j]);
                }
            }
        }
    }

    [Fact]
    public void Interleaving_writes_exactly_the_columns_asked_for_on_every_width()
    {
        for (int columns = 0; columns <= 64; columns++)
        {
            Check(16, columns, row => WinogradF43.StoreInterleaved(Lanes512(0), Lanes512(1), Lanes512(2), Lanes512(3), ref row[0], columns));
        }

        for (int columns = 0; columns <= 32; columns++)
        {
            Check(8, columns, row => WinogradF43.StoreInterleaved(Lanes256(0), Lanes256(1), Lanes256(2), Lanes256(3), ref row[0], columns));
        }

        for (int columns = 0; columns <= 16; columns++)
        {
            Check(4, columns, row => WinogradF43.StoreInterleaved(Lanes128(0), Lanes128(1), Lanes128(2), Lanes128(3), ref row[0], columns));
        }
    }

    // Lane j of phase c holds 100 * c + j, so column 4j + c must read 100 * c + j.
    private static void Check(int lanes, int columns, Action<float[]> store)
    {
        var row = new float[4 * lanes + 1];
        row.AsSpan().Fill(-1);
        store(row);
        for (int x = 0; x < row.Length; x++)
        {
            float expected = x < columns ? 100 * (x % 4) + x / 4 : -1;
            Assert.True(expected == row[x], $"{lanes} lanes, {columns} columns: column {x} is {row[x]}, expected {expected}");
        }
    }

    private static Vector512<float> Lanes512(int phase) => Vector512.Create(Lanes(phase, 16));

    private static Vector256<float> Lanes256(int phase) => Vector256.Create(Lanes(phase, 8));

    private static Vector128<float> Lanes128(int phase) => Vector128.Create(Lanes(phase, 4));

    private static float[] Lanes(int phase, int count)
    {
        var lanes = new float[count];
        for (int j = 0; j < count; j++)
        {
            lanes[j] = 100 * phase + j;
        }

        return lanes;
    }
}
