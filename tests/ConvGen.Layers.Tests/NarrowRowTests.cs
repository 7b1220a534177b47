using Xunit;

namespace ConvGen.Layers.Tests;

[ConvLayer(K = 3, S = 2, P = 1, InChannels = 3, OutChannels = 32)]
public partial class NarrowStem { }

[ConvLayer(K = 3, S = 2, P = 1, Groups = 16, InChannels = 16, OutChannels = 16, Activation = Activation.ReLU)]
public partial class NarrowDepthwise { }

[ConvLayer(K = 5, P = 2, InChannels = 4, OutChannels = 12)]
public partial class NarrowFive { }

/// <summary>
/// Layers without a static width pick, per call, between their main register tile and a one-vector tile for short
/// rows (the threshold is a generated constant per vector width). Every output width from 1 to past the widest main
/// tile crosses both tiles and the boundary between them on whichever SIMD path the run uses.
/// </summary>
public sealed class NarrowRowTests
{
    public static TheoryData<int> Widths()
    {
        var data = new TheoryData<int>();
        for (int w = 1; w <= 100; w += w < 40 ? 1 : 7)
        {
            data.Add(w);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Short_and_long_rows_match_the_reference(int width)
    {
        Numerics.AssertMatchesReference(new NarrowStem(), new TensorShape(1, 3, 5, 2 * width), seed: width);
        Numerics.AssertMatchesReference(new NarrowDepthwise(), new TensorShape(2, 16, 6, 2 * width - 1), seed: width + 1000);
        Numerics.AssertMatchesReference(new NarrowFive(), new TensorShape(1, 4, 3, width), seed: width + 2000);
    }
}
