using ConvGen;

namespace PackageConsumer.Invalid;

// Networks that do not chain: each must fail the build on the field named in the comment above it.

[ConvLayer(K = 5, InChannels = 1, OutChannels = 6, Activation = Activation.ReLU)]
public partial class First { }

[ConvLayer(K = 5, InChannels = 16, OutChannels = 16)]
public partial class Wants16 { }

[ConvLayer(K = 3, P = 1, InChannels = 6, OutChannels = 6, InH = 32, InW = 32)]
public partial class Fixed32 { }

[MaxPoolLayer(K = 2)]
public partial class Halve { }

[LinearLayer(InFeatures = 400, OutFeatures = 10)]
public partial class Head400 { }

[Network(InChannels = 1, InH = 28, InW = 28)]
public partial class Mismatched
{
    private readonly First conv1;

    // Expected build error: CONV0100 'wrong' expects 16 input channels but 'conv1' gives it 6.
    private readonly Wants16 wrong;
}

[Network(InChannels = 1, InH = 8, InW = 8)]
public partial class Shrinking
{
    private readonly First conv1;
    private readonly Halve pool1;
    private readonly Halve pool2;

    // Expected build error: CONV0101 a 1x1 input reaches 'pool3', whose 2x2 window leaves nothing.
    private readonly Halve pool3;
}

[Network(InChannels = 1, InH = 28, InW = 28)]
public partial class WrongHead
{
    private readonly First conv1;
    private readonly Halve pool1;
    private readonly Flatten flatten;

    // Expected build error: CONV0102 'head' reads 400 features but the flattened [6, 12, 12] is 864.
    private readonly Head400 head;
}

[Network(InChannels = 1, InH = 28, InW = 28)]
public partial class WrongSize
{
    private readonly First conv1;

    // Expected build error: CONV0103 'fixed32' is specialized for 32x32 but 24x24 reaches it.
    private readonly Fixed32 fixed32;
}
