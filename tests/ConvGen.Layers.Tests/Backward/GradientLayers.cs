// Layers whose generated weight-gradient kernels are checked against the reference in WeightGradientKernelTests.
// None has an activation: the kernel takes the gradient with respect to the pre-activation sum.
namespace ConvGen.Layers.Tests.Backward;

// Strides, kernel sizes and remainders of the filter tile.
[ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 8)] public partial class GradStem { }
[ConvLayer(K = 3, P = 1, InChannels = 5, OutChannels = 11)] public partial class GradK3 { }
[ConvLayer(K = 3, P = 1, S = 3, InChannels = 2, OutChannels = 5)] public partial class GradStride3 { }
[ConvLayer(K = 5, P = 2, InChannels = 3, OutChannels = 6, Bias = false)] public partial class GradK5 { }
[ConvLayer(K = 7, P = 3, S = 2, InChannels = 3, OutChannels = 10)] public partial class GradK7S2 { }
[ConvLayer(K = 1, InChannels = 17, OutChannels = 9)] public partial class GradPointwise { }
[ConvLayer(K = 1, S = 2, InChannels = 6, OutChannels = 4)] public partial class GradPointwiseS2 { }
[ConvLayer(Kh = 3, Kw = 5, Sh = 1, Sw = 2, Ph = 1, Pw = 2, InChannels = 2, OutChannels = 3)] public partial class GradRect { }

// Dilation.
[ConvLayer(K = 3, P = 2, D = 2, InChannels = 3, OutChannels = 4)] public partial class GradDilated2 { }
#pragma warning disable CONV0055 // intended: stride and dilation together
[ConvLayer(K = 3, S = 2, D = 2, P = 2, InChannels = 3, OutChannels = 2)] public partial class GradStride2Dilated2 { }
#pragma warning restore CONV0055

// Groups.
[ConvLayer(K = 3, P = 1, Groups = 2, InChannels = 4, OutChannels = 6)] public partial class GradGroups2 { }
[ConvLayer(K = 3, P = 1, Groups = 8, InChannels = 8, OutChannels = 8)] public partial class GradDepthwise { }
[ConvLayer(K = 5, P = 2, S = 2, Groups = 3, InChannels = 3, OutChannels = 6, Bias = false)] public partial class GradDepthwiseS2M2 { }

// Asymmetric padding.
[ConvLayer(K = 4, Padding = PaddingRule.Same, InChannels = 3, OutChannels = 4)] public partial class GradSameEven { }
[ConvLayer(K = 3, PadTop = 1, PadBottom = 2, PadLeft = 0, PadRight = 2, InChannels = 3, OutChannels = 5)] public partial class GradAsymmetric { }
[ConvLayer(K = 3, S = 2, Padding = PaddingRule.SameLower, InH = 9, InW = 20, InChannels = 3, OutChannels = 4)] public partial class GradSameLowerStatic { }

// 1-D and 3-D.
[Conv1dLayer(K = 5, S = 2, P = 2, InChannels = 3, OutChannels = 5)] public partial class GradSeq { }
[Conv1dLayer(K = 3, D = 4, P = 4, Groups = 2, InChannels = 4, OutChannels = 6, Bias = false)] public partial class GradSeqDilatedGroups { }
[Conv3dLayer(K = 3, P = 1, InChannels = 3, OutChannels = 4)] public partial class GradVolume { }
[Conv3dLayer(Kd = 2, Kh = 3, Kw = 4, Sd = 2, S = 1, Pd = 0, Ph = 1, Pw = 1, InChannels = 2, OutChannels = 5)] public partial class GradVolumeMixed { }
[Conv3dLayer(K = 3, S = 2, P = 1, InChannels = 2, OutChannels = 3, InD = 5, InH = 6, InW = 11)] public partial class GradVolumeStatic { }

// Channels from the constructor, and static sizes.
[ConvLayer(K = 3, P = 1, S = 2)] public partial class GradDynamicStem { }
[ConvLayer(K = 1)] public partial class GradDynamicPointwise { }
[ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 8, InH = 17, InW = 23)] public partial class GradStatic { }
[ConvLayer(K = 3, P = 1, InChannels = 4, OutChannels = 6, InH = 5, InW = 3)] public partial class GradStaticNarrow { }
