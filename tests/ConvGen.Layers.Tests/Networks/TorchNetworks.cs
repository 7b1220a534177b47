namespace ConvGen.Layers.Tests.Networks;

// The three networks of Data/make_network_fixtures.py, field for field (tests/ConvGen.Benchmarks times them too):
// each field name is the PyTorch module name, so the state_dict PyTorch saved loads unchanged. Pool2 and Flatten
// serve in all three (a 2x2 and a 2-wide pool).

[ConvLayer(K = 5, P = 2, InChannels = 1, OutChannels = 6, Activation = Activation.ReLU)]
public partial class LeConv1 { }

[ConvLayer(K = 5, InChannels = 6, OutChannels = 16, Activation = Activation.ReLU)]
public partial class LeConv2 { }

[MaxPoolLayer(K = 2)]
public partial class Pool2 { }

[AvgPoolLayer(K = 2)]
public partial class Avg2 { }

[LinearLayer(InFeatures = 400, OutFeatures = 120, Activation = Activation.ReLU)]
public partial class LeFc1 { }

[LinearLayer(InFeatures = 120, OutFeatures = 84, Activation = Activation.ReLU)]
public partial class LeFc2 { }

[LinearLayer(InFeatures = 84, OutFeatures = 10)]
public partial class LeFc3 { }

/// <summary>LeNet-5 with ReLU, max then average pooling: [1, 28, 28] -> [10].</summary>
[Network(InChannels = 1, InH = 28, InW = 28)]
public partial class LeNet
{
    private readonly LeConv1 conv1;
    private readonly Pool2 pool1;
    private readonly LeConv2 conv2;
    private readonly Avg2 pool2;
    private readonly Flatten flatten;
    private readonly LeFc1 fc1;
    private readonly LeFc2 fc2;
    private readonly LeFc3 fc3;
}

[ConvLayer(K = 3, S = 2, P = 1, InChannels = 3, OutChannels = 16, Activation = Activation.ReLU6)]
public partial class Stem16 { }

[SeparableConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 32, Activation = Activation.ReLU)]
public partial class Separable16To32 { }

[ConvLayer(K = 3, S = 2, P = 1, Groups = 32, InChannels = 32, OutChannels = 32, Activation = Activation.ReLU)]
public partial class DepthwiseDown32 { }

[ConvLayer(K = 1, InChannels = 32, OutChannels = 64, Activation = Activation.SiLU)]
public partial class Mix32To64 { }

[LinearLayer(InFeatures = 64, OutFeatures = 10)]
public partial class Head64 { }

/// <summary>A stride-2 stem, a depthwise-separable block, a stride-2 depthwise conv, a 1x1 mix, global pooling, a head.</summary>
[Network(InChannels = 3, InH = 32, InW = 32)]
public partial class MobileNet
{
    private readonly Stem16 stem;
    private readonly Separable16To32 block;
    private readonly DepthwiseDown32 down;
    private readonly Mix32To64 mix;
    private readonly GlobalAvgPool gap;
    private readonly Flatten flatten;
    private readonly Head64 fc;
}

[Conv1dLayer(K = 5, P = 2, InChannels = 2, OutChannels = 8, Activation = Activation.Tanh)]
public partial class Wave5 { }

[Conv1dLayer(K = 3, S = 2, InChannels = 8, OutChannels = 8, Activation = Activation.LeakyReLU)]
public partial class Wave3Down { }

[LinearLayer(InFeatures = 96, OutFeatures = 4)]
public partial class WaveHead { }

/// <summary>A 1-D network: [2, 50] -> [4].</summary>
[Network(InChannels = 2, InL = 50)]
public partial class Tiny1d
{
    private readonly Wave5 conv1;
    private readonly Pool2 pool;
    private readonly Wave3Down conv2;
    private readonly Flatten flatten;
    private readonly WaveHead fc;
}

[ConvLayer(K = 3, P = 1, InChannels = 3, OutChannels = 16, Activation = Activation.ReLU)]
public partial class ResStem { }

[ConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 16, Activation = Activation.ReLU)]
public partial class Res3x3ReLU { }

[ConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 16)]
public partial class Res3x3 { }

[LinearLayer(InFeatures = 16, OutFeatures = 5)]
public partial class ResHead { }

/// <summary>A ResNet basic block without normalisation: relu(conv2(relu(conv1(h))) + h) with h = relu(stem(x)).</summary>
[Network(InChannels = 3, InH = 16, InW = 16)]
public partial class ResidualNet
{
    private readonly ResStem stem;
    private readonly Res3x3ReLU conv1;
    [Residual(nameof(stem), Activation = Activation.ReLU)]
    private readonly Res3x3 conv2;
    private readonly Pool2 pool;
    private readonly GlobalAvgPool gap;
    private readonly Flatten flatten;
    private readonly ResHead fc;
}
