using System;
using System.Collections.Generic;

namespace ConvGen.Benchmarks;

// The ten cases of the shared peer benchmark (cases.txt): NCHW in and out, no bias, static sizes.
#pragma warning disable CONV0051 // stride 2 on even sizes skips only padding; listed for completeness
[ConvLayer(K = 3, P = 1, InChannels = 64, OutChannels = 64, InH = 56, InW = 56, Bias = false)] public partial class Std3x3C64x56 { }
[ConvLayer(K = 3, P = 1, InChannels = 128, OutChannels = 128, InH = 28, InW = 28, Bias = false)] public partial class Std3x3C128x28 { }
[ConvLayer(K = 5, P = 2, InChannels = 32, OutChannels = 32, InH = 56, InW = 56, Bias = false)] public partial class Large5x5C32x56 { }
[ConvLayer(K = 1, InChannels = 256, OutChannels = 64, InH = 28, InW = 28, Bias = false)] public partial class Mix1x1C256x28 { }
[ConvLayer(K = 3, P = 1, S = 2, InChannels = 64, OutChannels = 128, InH = 56, InW = 56, Bias = false)] public partial class Down3x3C64x56 { }
[ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32, InH = 224, InW = 224, Bias = false)] public partial class Stem3x3C3x224 { }
[ConvLayer(K = 3, P = 1, InChannels = 1, OutChannels = 1, InH = 512, InW = 512, Bias = false)] public partial class Edge3x3C1x512 { }
[ConvLayer(K = 3, P = 1, Groups = 128, InChannels = 128, OutChannels = 128, InH = 56, InW = 56, Bias = false)] public partial class Dw3x3C128x56 { }
[ConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 16, InH = 32, InW = 32, Bias = false)] public partial class Small3x3C16x32 { }

// The same 3x3 stride-1 layers with Winograd turned off: what Winograd buys, and how close the direct kernel gets
// to peak on its own.
[ConvLayer(K = 3, P = 1, InChannels = 64, OutChannels = 64, InH = 56, InW = 56, Bias = false, Winograd = false)] public partial class Std3x3C64Direct { }
[ConvLayer(K = 3, P = 1, InChannels = 128, OutChannels = 128, InH = 28, InW = 28, Bias = false, Winograd = false)] public partial class Std3x3C128Direct { }
[ConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 16, InH = 32, InW = 32, Bias = false, Winograd = false)] public partial class Small3x3C16Direct { }
#pragma warning restore CONV0051

/// <summary>One benchmark case: the generated layer, the same geometry on the general kernel, and its input shape.</summary>
public sealed record BenchCase(string Name, Func<IConvLayer> Specialized, TensorShape Input, Func<IConvLayer>? Direct = null)
{
    public IConvLayer General() => ConvLayers.Create(Specialized().Geometry with { StaticInD = 0, StaticInH = 0, StaticInW = 0 });

    /// <summary>
    /// Multiply-add FLOPs as the peers count them (2 per multiply-add, zeros skipped by construction): a convolution
    /// 2·N·Cout·outputs·(Cin/G)·taps; a transposed one 2·N·Cin·inputs·(Cout/G)·taps; a separable one its depthwise
    /// and pointwise halves.
    /// </summary>
    public double Flops
    {
        get
        {
            IConvLayer layer = Specialized();
            TensorShape o = layer.GetOutputShape(Input);
            ConvGeometry g = layer.Geometry;
            return g.Kind switch
            {
                ConvKind.Transposed => 2.0 * Input.ElementCount * g.OutChannelsPerGroup * g.KernelTaps,
                ConvKind.Separable => 2.0 * o.N * o.SpatialSize * ((double)g.DepthwiseChannels * g.KernelTaps + (double)g.OutChannels * g.DepthwiseChannels),
                _ => 2.0 * o.ElementCount * g.InChannelsPerGroup * g.KernelTaps,
            };
        }
    }

    public override string ToString() => Name;

    public static IReadOnlyList<BenchCase> All { get; } = new[]
    {
        new BenchCase("std3x3_c64_56", () => new Std3x3C64x56(), new TensorShape(1, 64, 56, 56), () => new Std3x3C64Direct()),
        new BenchCase("std3x3_c128_28", () => new Std3x3C128x28(), new TensorShape(1, 128, 28, 28), () => new Std3x3C128Direct()),
        new BenchCase("large5x5_c32_56", () => new Large5x5C32x56(), new TensorShape(1, 32, 56, 56)),
        new BenchCase("mix1x1_c256_28", () => new Mix1x1C256x28(), new TensorShape(1, 256, 28, 28)),
        new BenchCase("down3x3_c64_56", () => new Down3x3C64x56(), new TensorShape(1, 64, 56, 56)),
        new BenchCase("stem3x3_c3_224", () => new Stem3x3C3x224(), new TensorShape(1, 3, 224, 224)),
        new BenchCase("edge3x3_c1_512", () => new Edge3x3C1x512(), new TensorShape(1, 1, 512, 512)),
        new BenchCase("dw3x3_c128_56", () => new Dw3x3C128x56(), new TensorShape(1, 128, 56, 56)),
        new BenchCase("std3x3_c64_56_b8", () => new Std3x3C64x56(), new TensorShape(8, 64, 56, 56), () => new Std3x3C64Direct()),
        new BenchCase("small3x3_c16_32", () => new Small3x3C16x32(), new TensorShape(1, 16, 32, 32), () => new Small3x3C16Direct()),
    };
}
