using ConvGen;

// One layer of every attribute kind, as a user of the package declares them (the README's "Layer kinds" examples).

// 1-D, NCL: reflect padding, ReLU fused into the store.
[Conv1dLayer(K = 5, P = 2, PaddingMode = PaddingMode.Reflect, Activation = Activation.ReLU, InChannels = 3, OutChannels = 6)]
public partial class Smooth1d { }

// 1-D causal: all the padding at the start, so output t sees inputs t-4, t-2 and t only.
[Conv1dLayer(K = 3, D = 2, PadLeft = 4, InChannels = 4, OutChannels = 4, Activation = Activation.LeakyReLU, NegativeSlope = 0.1f)]
public partial class Causal1d { }

// 2-D 'same' at stride 2 with a static size: the pads are resolved at build time and the kernel is specialized.
[ConvLayer(K = 3, S = 2, Padding = PaddingRule.Same, Activation = Activation.SiLU, InChannels = 3, OutChannels = 8, InH = 15, InW = 20)]
public partial class SameSilu { }

// 2-D asymmetric padding with replicate fill.
[ConvLayer(K = 3, PadTop = 1, PadBottom = 2, PadLeft = 0, PadRight = 2, PaddingMode = PaddingMode.Replicate, InChannels = 2, OutChannels = 4)]
public partial class Asymmetric { }

// 3-D, NCDHW.
[Conv3dLayer(K = 3, P = 1, Activation = Activation.ReLU, InChannels = 2, OutChannels = 4)]
public partial class Volume { }

// Transposed 1-D: out = (L-1)*3 - 1 - 1 + 1*(4-1) + 2 + 1 = 3*L + 1.
[ConvTranspose1dLayer(K = 4, S = 3, P = 1, OutputPadding = 2, InChannels = 3, OutChannels = 2)]
public partial class Up1d { }

// Transposed 2-D: out = (H-1)*2 - 1 - 1 + 1*(3-1) + 1 + 1 = 2*H.
[ConvTransposeLayer(K = 3, S = 2, P = 1, OutputPadding = 1, Activation = Activation.Tanh, InChannels = 4, OutChannels = 3)]
public partial class Up2d { }

// Transposed 3-D, 'same': in * stride outputs on every axis.
[ConvTranspose3dLayer(K = 3, S = 2, Padding = PaddingRule.Same, InChannels = 2, OutChannels = 3)]
public partial class Up3d { }

// Transposed 3-D with output padding on one axis only.
[ConvTranspose3dLayer(K = 3, S = 2, P = 1, OutputPaddingW = 1, InChannels = 2, OutChannels = 2, Bias = false)]
public partial class Up3dWide { }

// Separable: depthwise 3x3 with two outputs per input channel, then pointwise to 8 channels.
[SeparableConvLayer(K = 3, P = 1, DepthMultiplier = 2, Activation = Activation.ReLU6, InChannels = 3, OutChannels = 8)]
public partial class Separable { }
