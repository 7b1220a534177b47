namespace ConvGen;

/// <summary>The shape of an NCHW tensor: batch, channels, height, width.</summary>
public readonly record struct TensorShape(int N, int C, int H, int W)
{
    /// <summary>Number of elements, N·C·H·W, checked for overflow.</summary>
    public long ElementCount => (long)N * C * H * W;

    /// <inheritdoc/>
    public override string ToString() => $"[N={N}, C={C}, H={H}, W={W}]";
}
