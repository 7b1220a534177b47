// The layer classes under test. Each is compiled by the real generator as part of this project's build, so a
// generator regression shows up as a build error or a numerical mismatch here.
namespace ConvGen.Layers.Tests;

// The seed's standard configurations.
[ConvLayer(K = 3, P = 1, S = 1, InChannels = 4, OutChannels = 8)] public partial class K3P1S1 { }
[ConvLayer(K = 5, P = 2, S = 1, InChannels = 3, OutChannels = 5)] public partial class K5P2S1 { }
[ConvLayer(K = 1, P = 0, S = 1, InChannels = 17, OutChannels = 9)] public partial class K1P0S1 { }
[ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32)] public partial class Stem { }

// Shapes of kernel, stride, padding and dilation.
[ConvLayer(Kh = 3, Kw = 5, Ph = 1, Pw = 2, InChannels = 2, OutChannels = 3)] public partial class Rect3x5 { }
[ConvLayer(Kh = 1, Kw = 7, Pw = 3, InChannels = 3, OutChannels = 4)] public partial class Row1x7 { }
[ConvLayer(K = 3, P = 2, D = 2, InChannels = 3, OutChannels = 4)] public partial class Dilated2 { }
[ConvLayer(K = 3, P = 3, D = 3, InChannels = 2, OutChannels = 3)] public partial class Dilated3 { }
[ConvLayer(K = 3, Dh = 1, Dw = 2, Ph = 1, Pw = 2, InChannels = 2, OutChannels = 2)] public partial class DilatedW { }
[ConvLayer(K = 3, S = 3, InChannels = 5, OutChannels = 3)] public partial class Stride3 { }
[ConvLayer(K = 3, Sh = 1, Sw = 2, P = 1, InChannels = 2, OutChannels = 5)] public partial class StrideW2 { }
#pragma warning disable CONV0055 // intended: stride and dilation together
[ConvLayer(K = 3, S = 2, D = 2, P = 2, InChannels = 3, OutChannels = 2)] public partial class Stride2Dilated2 { }
#pragma warning restore CONV0055
#pragma warning disable CONV0052 // intended: border outputs that see only padding must equal the bias
[ConvLayer(K = 2, P = 4, InChannels = 1, OutChannels = 2)] public partial class PadLargerThanKernel { }
#pragma warning restore CONV0052
[ConvLayer(K = 4, P = 1, S = 2, InChannels = 3, OutChannels = 6)] public partial class Even4S2 { }
[ConvLayer(K = 7, P = 3, S = 2, InChannels = 3, OutChannels = 8)] public partial class K7S2 { }

// Channels: counts that are not multiples of the tile or vector width.
[ConvLayer(K = 3, P = 1, InChannels = 1, OutChannels = 1)] public partial class Single { }
[ConvLayer(K = 3, P = 1, InChannels = 5, OutChannels = 17)] public partial class Out17 { }
[ConvLayer(K = 3, InChannels = 17, OutChannels = 3)] public partial class In17 { }
[ConvLayer(K = 3, P = 1, InChannels = 3, OutChannels = 12, Bias = false)] public partial class NoBias { }

// Groups.
[ConvLayer(K = 3, P = 1, Groups = 2, InChannels = 4, OutChannels = 6)] public partial class Groups2 { }
[ConvLayer(K = 3, P = 1, Groups = 5, InChannels = 5, OutChannels = 5)] public partial class Depthwise5 { }
[ConvLayer(K = 3, P = 1, Groups = 3, InChannels = 3, OutChannels = 6)] public partial class DepthwiseMultiplier2 { }
[ConvLayer(K = 3, P = 1, S = 2, Groups = 17, InChannels = 17, OutChannels = 17, Bias = false)] public partial class Depthwise17S2 { }
[ConvLayer(K = 5, P = 2, Groups = 4, InChannels = 8, OutChannels = 12)] public partial class Groups4K5 { }

// Static input sizes (every size a const).
[ConvLayer(K = 3, P = 1, InChannels = 5, OutChannels = 17, InH = 13, InW = 21)] public partial class Static13x21 { }
[ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 8, InH = 32, InW = 32)] public partial class StaticStem32 { }
[ConvLayer(K = 3, InChannels = 2, OutChannels = 3, InH = 3, InW = 3)] public partial class StaticExactlyKernel { }
[ConvLayer(K = 3, P = 1, InChannels = 2, OutChannels = 2, InH = 2, InW = 2)] public partial class StaticSmallerThanKernel { }
#pragma warning disable CONV0051 // intended: the last input columns are never read
[ConvLayer(K = 5, S = 3, InChannels = 1, OutChannels = 4, InH = 17, InW = 40)] public partial class StaticStrideRemainder { }
#pragma warning restore CONV0051
[ConvLayer(K = 3, P = 1, InChannels = 3, OutChannels = 4, InW = 19)] public partial class StaticWidthOnly { }

// Channels given at run time.
[ConvLayer(K = 3, P = 1, S = 2)] public partial class DynamicStem { }
[ConvLayer(K = 3, P = 1, Groups = 2)] public partial class DynamicGroups { }
[ConvLayer(K = 1)] public partial class DynamicPointwise { }
[ConvLayer(K = 5, D = 2, P = 4, Bias = false)] public partial class DynamicDilated { }

// Beyond the unroll budget: served by the general kernel.
[ConvLayer(K = 9, P = 4, InChannels = 2, OutChannels = 3)] public partial class Fallback9x9 { }

// A record class is a class: the generated partial repeats the record keyword.
[ConvLayer(K = 3, P = 1, InChannels = 2, OutChannels = 3)] public partial record RecordLayer;
