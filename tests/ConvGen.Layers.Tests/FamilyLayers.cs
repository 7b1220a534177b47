// The convolution family's layer classes under test, compiled by the real generator as part of this build.
namespace ConvGen.Layers.Tests;

// 1-D (NCL).
[Conv1dLayer(K = 3, P = 1, InChannels = 4, OutChannels = 8)] public partial class Seq3 { }
[Conv1dLayer(K = 5, S = 2, P = 2, InChannels = 3, OutChannels = 5, Activation = Activation.ReLU)] public partial class Seq5S2Relu { }
[Conv1dLayer(K = 3, D = 4, P = 4, Groups = 2, InChannels = 4, OutChannels = 6, Bias = false)] public partial class SeqDilatedGroups { }
[Conv1dLayer(K = 4, Padding = PaddingRule.Same, PaddingMode = PaddingMode.Reflect, InChannels = 2, OutChannels = 3)] public partial class SeqSameReflect { }
[Conv1dLayer(K = 3, PadLeft = 2, PadRight = 0, InChannels = 3, OutChannels = 4)] public partial class SeqCausal { }
[Conv1dLayer(K = 3, P = 1, InL = 40, InChannels = 3, OutChannels = 4, PaddingMode = PaddingMode.Circular)] public partial class SeqStatic40Circular { }
[Conv1dLayer(K = 3, S = 2, Padding = PaddingRule.Same)] public partial class SeqSameStridedDynamic { }

// 2-D with the family's options.
[ConvLayer(K = 3, P = 1, InChannels = 4, OutChannels = 8, PaddingMode = PaddingMode.Reflect, Activation = Activation.ReLU6)] public partial class ReflectRelu6 { }
[ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 5, PaddingMode = PaddingMode.Replicate, Activation = Activation.SiLU)] public partial class ReplicateS2Silu { }
[ConvLayer(K = 3, P = 2, InChannels = 2, OutChannels = 3, PaddingMode = PaddingMode.Circular, Activation = Activation.Tanh)] public partial class CircularTanh { }
[ConvLayer(K = 4, Padding = PaddingRule.Same, InChannels = 3, OutChannels = 4, Activation = Activation.Sigmoid)] public partial class SameEvenSigmoid { }
[ConvLayer(K = 3, S = 2, Padding = PaddingRule.SameLower, InH = 9, InW = 20, InChannels = 3, OutChannels = 4)] public partial class SameLowerStatic { }
[ConvLayer(K = 3, S = 2, Padding = PaddingRule.Same, InChannels = 3, OutChannels = 4)] public partial class SameStridedDynamic { }
[ConvLayer(K = 3, PadTop = 1, PadBottom = 2, PadLeft = 0, PadRight = 2, InChannels = 3, OutChannels = 5, Activation = Activation.LeakyReLU, NegativeSlope = 0.2f)] public partial class AsymmetricLeaky { }
[ConvLayer(K = 3, Padding = PaddingRule.Valid, Groups = 4, InChannels = 4, OutChannels = 8, Activation = Activation.ReLU)] public partial class ValidDepthwiseRelu { }
[ConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 16, InH = 12, InW = 20, Activation = Activation.SiLU)] public partial class WinogradSilu { }
[ConvLayer(K = 3, P = 1, Activation = Activation.ReLU)] public partial class DynamicRelu { }
[ConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 16, InH = 12, InW = 20, PaddingMode = PaddingMode.Reflect, Activation = Activation.ReLU)] public partial class WinogradReflect { }
[ConvLayer(K = 3, P = 2, InChannels = 17, OutChannels = 16, InH = 9, InW = 23, PaddingMode = PaddingMode.Circular)] public partial class WinogradCircular { }
[ConvLayer(K = 3, PadTop = 0, PadBottom = 2, PadLeft = 1, PadRight = 1, InChannels = 16, OutChannels = 20, InH = 10, InW = 17)] public partial class WinogradAsymmetric { }

// 3-D (NCDHW).
[Conv3dLayer(K = 3, P = 1, InChannels = 3, OutChannels = 4)] public partial class Volume3 { }
[Conv3dLayer(Kd = 2, Kh = 3, Kw = 4, Sd = 2, S = 1, Pd = 0, Ph = 1, Pw = 1, InChannels = 2, OutChannels = 5, PaddingMode = PaddingMode.Replicate, Activation = Activation.ReLU)] public partial class VolumeMixed { }
[Conv3dLayer(K = 3, D = 2, P = 2, Groups = 2, InChannels = 4, OutChannels = 4, Bias = false)] public partial class VolumeDilatedGroups { }
[Conv3dLayer(K = 3, P = 1, InD = 4, InH = 6, InW = 20, InChannels = 3, OutChannels = 8, Activation = Activation.ReLU)] public partial class VolumeStatic { }
[Conv3dLayer(K = 1, InChannels = 5, OutChannels = 7)] public partial class VolumePointwise { }
[Conv3dLayer(K = 3, S = 2, P = 1, PaddingMode = PaddingMode.Reflect)] public partial class VolumeDynamicReflect { }
[Conv3dLayer(Kd = 3, Kh = 1, Kw = 1, Pd = 1, InChannels = 4, OutChannels = 4)] public partial class VolumeTemporal { }

// Transposed.
[ConvTransposeLayer(K = 4, S = 2, P = 1, InChannels = 6, OutChannels = 4)] public partial class Up2x { }
[ConvTransposeLayer(K = 3, S = 2, P = 1, OutputPadding = 1, Groups = 2, InChannels = 4, OutChannels = 6, Activation = Activation.ReLU)] public partial class Up2xGroups { }
[ConvTransposeLayer(K = 3, S = 2, Padding = PaddingRule.Same, InChannels = 3, OutChannels = 2)] public partial class UpSame { }
[ConvTranspose1dLayer(K = 4, S = 3, P = 1, OutputPadding = 2, D = 1, InChannels = 3, OutChannels = 5)] public partial class Up1d { }
[ConvTranspose3dLayer(K = 2, S = 2, InChannels = 4, OutChannels = 3)] public partial class Up3d { }
[ConvTransposeLayer(K = 3, S = 2, P = 1)] public partial class DynamicUp { }

// Transposed with a static size: split into output phases, each a specialized convolution.
[ConvTransposeLayer(K = 4, S = 2, P = 1, InChannels = 6, OutChannels = 4, InH = 7, InW = 9, Activation = Activation.ReLU)] public partial class UpPhases { }
[ConvTransposeLayer(K = 3, S = 2, P = 1, OutputPadding = 1, Groups = 2, InChannels = 4, OutChannels = 6, InH = 5, InW = 18)] public partial class UpPhasesGroups { }
[ConvTransposeLayer(K = 2, S = 2, InChannels = 5, OutChannels = 3, InH = 6, InW = 17)] public partial class UpPhasesPointwise { }
[ConvTransposeLayer(K = 5, S = 3, P = 2, OutputPadding = 2, InChannels = 3, OutChannels = 4, InH = 4, InW = 20)] public partial class UpPhasesS3 { }
[ConvTranspose1dLayer(K = 4, S = 2, P = 1, InL = 33, InChannels = 3, OutChannels = 5, Activation = Activation.Tanh)] public partial class UpPhases1d { }
[ConvTransposeLayer(K = 3, P = 1, InH = 8, InW = 19)] public partial class UpStride1Dynamic { }
[ConvTransposeLayer(K = 5, S = 3, P = 2, Activation = Activation.ReLU6)] public partial class UpDynamicS3 { }
[ConvTranspose3dLayer(K = 3, S = 2, P = 1, OutputPadding = 1, InChannels = 4, OutChannels = 3, Activation = Activation.SiLU)] public partial class Up3dPhases { }
[ConvTranspose3dLayer(Kd = 2, Kh = 3, Kw = 4, Sd = 2, Sh = 1, Sw = 2, Pw = 1, Groups = 2, InChannels = 4, OutChannels = 2, InD = 3, InH = 5, InW = 9)] public partial class Up3dPhasesStatic { }
[ConvTransposeLayer(Kh = 3, Kw = 4, Sh = 1, Sw = 2, Ph = 1, Pw = 1, InChannels = 2, OutChannels = 3, InH = 5, InW = 12)] public partial class UpPhasesRect { }

// Separable.
[SeparableConvLayer(K = 3, P = 1, InChannels = 8, OutChannels = 16)] public partial class Sep3 { }
[SeparableConvLayer(K = 5, S = 2, P = 2, DepthMultiplier = 2, InChannels = 3, OutChannels = 7, Activation = Activation.ReLU6)] public partial class Sep5S2M2 { }
[SeparableConvLayer(K = 3, Padding = PaddingRule.Same, PaddingMode = PaddingMode.Reflect, InChannels = 4, OutChannels = 5, Bias = false)] public partial class SepSameReflect { }
[SeparableConvLayer(K = 3, S = 2, P = 1, DepthMultiplier = 4, InChannels = 32, OutChannels = 8, PaddingMode = PaddingMode.Replicate, Activation = Activation.SiLU)] public partial class SepBands { }
[SeparableConvLayer(K = 3, P = 1, InChannels = 64, OutChannels = 24, InH = 20, InW = 33)] public partial class SepStaticBands { }
[SeparableConvLayer(K = 3, S = 2, Padding = PaddingRule.Same)] public partial class SepDynamicChannels { }
