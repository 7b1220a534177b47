using System.Globalization;

namespace ConvGen;

/// <summary>
/// The shape of a batch of feature maps: NCL (1-D), NCHW (2-D) or NCDHW (3-D), by <see cref="Dimensions"/>.
/// Axes a tensor does not have are 1, so a sequence of length L is stored as D = 1, H = 1, W = L and one element
/// count and one indexing formula, ((n·C + c)·D + d)·H + h)·W + w, cover all three.
/// </summary>
public readonly record struct TensorShape
{
    /// <summary>An NCHW shape: batch, channels, height, width.</summary>
    public TensorShape(int n, int c, int h, int w)
    {
        N = n;
        C = c;
        D = 1;
        H = h;
        W = w;
        Dimensions = 2;
    }

    /// <summary>An NCL shape (1-D): batch, channels, length.</summary>
    public TensorShape(int n, int c, int length)
    {
        N = n;
        C = c;
        D = 1;
        H = 1;
        W = length;
        Dimensions = 1;
    }

    /// <summary>An NCDHW shape (3-D): batch, channels, depth, height, width.</summary>
    public TensorShape(int n, int c, int d, int h, int w)
    {
        N = n;
        C = c;
        D = d;
        H = h;
        W = w;
        Dimensions = 3;
    }

    /// <summary>Batch size.</summary>
    public int N { get; init; }

    /// <summary>Channels.</summary>
    public int C { get; init; }

    /// <summary>Depth (3-D); 1 for 1-D and 2-D shapes.</summary>
    public int D { get; init; }

    /// <summary>Height; 1 for 1-D shapes.</summary>
    public int H { get; init; }

    /// <summary>Width, or the length of a 1-D shape.</summary>
    public int W { get; init; }

    /// <summary>Length of a 1-D shape (the same axis as <see cref="W"/>).</summary>
    public int L => W;

    /// <summary>Spatial dimensions: 1 (NCL), 2 (NCHW) or 3 (NCDHW).</summary>
    public int Dimensions { get; init; }

    /// <summary>Number of elements, N·C·D·H·W, checked for overflow.</summary>
    public long ElementCount => (long)N * C * D * H * W;

    /// <summary>Elements of one channel of one image: D·H·W.</summary>
    public long SpatialSize => (long)D * H * W;

    /// <inheritdoc/>
    public override string ToString() => Dimensions switch
    {
        1 => string.Format(CultureInfo.InvariantCulture, "[N={0}, C={1}, L={2}]", N, C, W),
        3 => string.Format(CultureInfo.InvariantCulture, "[N={0}, C={1}, D={2}, H={3}, W={4}]", N, C, D, H, W),
        _ => string.Format(CultureInfo.InvariantCulture, "[N={0}, C={1}, H={2}, W={3}]", N, C, H, W),
    };
}
