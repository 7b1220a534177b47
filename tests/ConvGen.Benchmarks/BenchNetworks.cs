namespace ConvGen.Benchmarks;

// The networks of tests/ConvGen.Layers.Tests/Data/make_network_fixtures.py (and peers/torch_network.py).

[ConvLayer(K = 5, P = 2, InChannels = 1, OutChannels = 6, Activation = Activation.ReLU)]
public partial class BenchConv1 { }

[ConvLayer(K = 5, InChannels = 6, OutChannels = 16, Activation = Activation.ReLU)]
public partial class BenchConv2 { }

[MaxPoolLayer(K = 2)]
public partial class BenchMax2 { }

[AvgPoolLayer(K = 2)]
public partial class BenchAvg2 { }

[LinearLayer(InFeatures = 400, OutFeatures = 120, Activation = Activation.ReLU)]
public partial class BenchFc1 { }

[LinearLayer(InFeatures = 120, OutFeatures = 84, Activation = Activation.ReLU)]
public partial class BenchFc2 { }

[LinearLayer(InFeatures = 84, OutFeatures = 10)]
public partial class BenchFc3 { }

/// <summary>LeNet-5: [1, 28, 28] -> [10].</summary>
[Network(InChannels = 1, InH = 28, InW = 28)]
public partial class BenchLeNet
{
    private readonly BenchConv1 conv1;
    private readonly BenchMax2 pool1;
    private readonly BenchConv2 conv2;
    private readonly BenchAvg2 pool2;
    private readonly Flatten flatten;
    private readonly BenchFc1 fc1;
    private readonly BenchFc2 fc2;
    private readonly BenchFc3 fc3;
}

[ConvLayer(K = 3, S = 2, P = 1, InChannels = 3, OutChannels = 16, Activation = Activation.ReLU6)]
public partial class BenchStem { }

[SeparableConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 32, Activation = Activation.ReLU)]
public partial class BenchSeparable { }

[ConvLayer(K = 3, S = 2, P = 1, Groups = 32, InChannels = 32, OutChannels = 32, Activation = Activation.ReLU)]
public partial class BenchDown { }

[ConvLayer(K = 1, InChannels = 32, OutChannels = 64, Activation = Activation.SiLU)]
public partial class BenchMix { }

[LinearLayer(InFeatures = 64, OutFeatures = 10)]
public partial class BenchHead { }

/// <summary>Stride-2 stem, depthwise-separable block, stride-2 depthwise, 1x1 mix, global pool, head: [3, 32, 32] -> [10].</summary>
[Network(InChannels = 3, InH = 32, InW = 32)]
public partial class BenchMobileNet
{
    private readonly BenchStem stem;
    private readonly BenchSeparable block;
    private readonly BenchDown down;
    private readonly BenchMix mix;
    private readonly GlobalAvgPool gap;
    private readonly Flatten flatten;
    private readonly BenchHead fc;
}
