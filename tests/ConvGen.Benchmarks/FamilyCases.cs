using System.Collections.Generic;

namespace ConvGen.Benchmarks;

// The convolution family's cases, next to the 2-D ones: the same geometries as peers/torch_family.py, static sizes,
// with bias (PyTorch's modules have one).
[Conv1dLayer(K = 5, P = 2, InChannels = 64, OutChannels = 64, InL = 4096)] public partial class Seq5C64x4096 { }
[Conv1dLayer(K = 3, D = 4, P = 4, InChannels = 64, OutChannels = 64, InL = 4096)] public partial class Seq3D4C64x4096 { }
[Conv3dLayer(K = 3, P = 1, InChannels = 16, OutChannels = 32, InD = 8, InH = 28, InW = 28)] public partial class Vol3C16x8x28 { }
[ConvTransposeLayer(K = 4, S = 2, P = 1, InChannels = 64, OutChannels = 32, InH = 28, InW = 28)] public partial class Up4S2C64x28 { }
[ConvTranspose3dLayer(K = 2, S = 2, InChannels = 32, OutChannels = 16, InD = 8, InH = 14, InW = 14)] public partial class Up3dK2S2C32x8x14 { }
[SeparableConvLayer(K = 3, P = 1, InChannels = 64, OutChannels = 128, InH = 56, InW = 56)] public partial class Sep3x3C64x56 { }
[ConvLayer(K = 3, P = 1, InChannels = 64, OutChannels = 64, InH = 56, InW = 56, Activation = Activation.ReLU)] public partial class Std3x3C64Relu { }
[ConvLayer(K = 3, P = 1, InChannels = 64, OutChannels = 64, InH = 56, InW = 56, Activation = Activation.SiLU)] public partial class Std3x3C64Silu { }
[ConvLayer(K = 3, P = 1, InChannels = 64, OutChannels = 64, InH = 56, InW = 56, PaddingMode = PaddingMode.Reflect)] public partial class Reflect3x3C64x56 { }

/// <summary>The family's benchmark cases (run with <c>--family</c>).</summary>
public static class FamilyCases
{
    public static IReadOnlyList<BenchCase> All { get; } = new[]
    {
        new BenchCase("conv1d_k5_c64_4096", () => new Seq5C64x4096(), new TensorShape(1, 64, 4096)),
        new BenchCase("conv1d_k3_d4_c64_4096", () => new Seq3D4C64x4096(), new TensorShape(1, 64, 4096)),
        new BenchCase("conv3d_k3_c16_32_8x28", () => new Vol3C16x8x28(), new TensorShape(1, 16, 8, 28, 28)),
        new BenchCase("convT2d_k4_s2_c64_32_28", () => new Up4S2C64x28(), new TensorShape(1, 64, 28, 28)),
        new BenchCase("convT3d_k2_s2_c32_16_8x14", () => new Up3dK2S2C32x8x14(), new TensorShape(1, 32, 8, 14, 14)),
        new BenchCase("sep3x3_c64_128_56", () => new Sep3x3C64x56(), new TensorShape(1, 64, 56, 56)),
        new BenchCase("std3x3_c64_56_relu", () => new Std3x3C64Relu(), new TensorShape(1, 64, 56, 56)),
        new BenchCase("std3x3_c64_56_silu", () => new Std3x3C64Silu(), new TensorShape(1, 64, 56, 56)),
        new BenchCase("reflect3x3_c64_56", () => new Reflect3x3C64x56(), new TensorShape(1, 64, 56, 56)),
    };
}
