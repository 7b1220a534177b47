using ConvGen;

namespace PackageConsumer.Invalid;

// Misuse of the convolution family: each class must fail the build with the diagnostic above it.

// Expected build error: CONV0018 Padding = Same decides the pads itself, so P must not be written too.
[ConvLayer(K = 3, Padding = PaddingRule.Same, P = 1, InChannels = 2, OutChannels = 4)]
public partial class SameWithPads { }

// Expected build error: CONV0020 OutputPadding = 2 is not smaller than stride 2 or dilation 1.
[ConvTransposeLayer(K = 3, S = 2, P = 1, OutputPadding = 2, InChannels = 2, OutChannels = 4)]
public partial class TooMuchOutputPadding { }

// Expected build error: CONV0021 a transposed layer pads with zeros only.
[ConvTranspose1dLayer(K = 3, S = 2, P = 1, PaddingMode = PaddingMode.Reflect, InChannels = 2, OutChannels = 4)]
public partial class ReflectUp { }

// Expected build error: CONV0057 reflect padding 2 needs a static input length above 2.
[Conv1dLayer(K = 5, P = 2, PaddingMode = PaddingMode.Reflect, InL = 2, InChannels = 2, OutChannels = 4)]
public partial class ReflectTooShort { }

// Expected build error: CONV0022 a separable layer needs at least one depthwise output per input channel.
[SeparableConvLayer(K = 3, P = 1, DepthMultiplier = 0, InChannels = 2, OutChannels = 4)]
public partial class NoDepthwiseOutputs { }
