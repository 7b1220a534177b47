namespace ConvGen.Layers.Tests.Networks;

// Networks with the layer kinds the PyTorch fixtures do not cover: transposed (an encoder-decoder), 3-D and
// 1-D transposed, with pooling and linear heads. Checked against the layers' references composed by hand.

[ConvLayer(K = 3, S = 2, P = 1, InChannels = 2, OutChannels = 8, Activation = Activation.LeakyReLU, NegativeSlope = 0.2f)]
public partial class Encode { }

[ConvTransposeLayer(K = 4, S = 2, P = 1, InChannels = 8, OutChannels = 4, Activation = Activation.Sigmoid)]
public partial class Decode { }

[ConvLayer(K = 3, P = 1, PaddingMode = PaddingMode.Reflect, InChannels = 4, OutChannels = 2)]
public partial class Refine { }

/// <summary>Down by 2, up by 2 with a transposed layer, then a reflect-padded 3x3: [2, 18, 22] -> [2, 18, 22].</summary>
[Network(InChannels = 2, InH = 18, InW = 22)]
public partial class AutoEncoder
{
    private readonly Encode encode;
    private readonly Decode decode;
    private readonly Refine refine;
}

[Conv3dLayer(K = 3, P = 1, InChannels = 1, OutChannels = 4, Activation = Activation.ReLU)]
public partial class Volume3 { }

[AvgPoolLayer(K = 2)]
public partial class Avg2Any { }

[LinearLayer(InFeatures = 4, OutFeatures = 3, Activation = Activation.Tanh)]
public partial class Head4 { }

/// <summary>A 3-D stack: [1, 6, 8, 10] -> conv -> average pool [4, 3, 4, 5] -> global pool -> linear [3].</summary>
[Network(InChannels = 1, InD = 6, InH = 8, InW = 10)]
public partial class VolumeNet
{
    private readonly Volume3 conv;
    private readonly Avg2Any pool;
    private readonly GlobalAvgPool gap;
    private readonly Head4 head;
}

[ConvTranspose1dLayer(K = 3, S = 3, InChannels = 3, OutChannels = 2, Bias = false)]
public partial class Stretch3 { }

[Conv1dLayer(K = 5, Padding = PaddingRule.Same, InChannels = 2, OutChannels = 2, Activation = Activation.SiLU)]
public partial class Smooth5 { }

/// <summary>A 1-D upsampler: [3, 7] -> [2, 21] -> [2, 21], the output the last layer's, no flatten.</summary>
[Network(InChannels = 3, InL = 7)]
public partial class Upsampler1d
{
    private readonly Stretch3 stretch;
    private readonly Smooth5 smooth;
}
