using ConvGen;

namespace PackageConsumer.Invalid;

// Expected build error: CONV0007 Stride S = 0 for layer 'ZeroStride': stride must be at least 1
[ConvLayer(K = 3, P = 1, S = 0, InChannels = 2, OutChannels = 4)]
public partial class ZeroStride { }
