namespace ConvGen.Generator.Tests.Networks;

/// <summary>Network test sources: a LeNet-like classifier whose fields the tests rearrange to break the chain.</summary>
internal static class NetworkSources
{
    /// <summary>The layer classes of LeNet-5 (input [1, 28, 28]), reused by every network below.</summary>
    public const string LeNetLayers = """
        using ConvGen;

        namespace Demo
        {
            [ConvLayer(K = 5, P = 2, InChannels = 1, OutChannels = 6, Activation = Activation.ReLU)]
            public partial class Conv1 { }

            [ConvLayer(K = 5, InChannels = 6, OutChannels = 16, Activation = Activation.ReLU)]
            public partial class Conv2 { }

            [MaxPoolLayer(K = 2)]
            public partial class Pool2 { }

            [AvgPoolLayer(K = 2)]
            public partial class Avg2 { }

            [LinearLayer(InFeatures = 400, OutFeatures = 120, Activation = Activation.ReLU)]
            public partial class Fc1 { }

            [LinearLayer(InFeatures = 120, OutFeatures = 84, Activation = Activation.ReLU)]
            public partial class Fc2 { }

            [LinearLayer(InFeatures = 84, OutFeatures = 10)]
            public partial class Fc3 { }
        }
        """;

    /// <summary>A network over <see cref="LeNetLayers"/> with the given attribute arguments and field lines.</summary>
    public static string Network(string attribute, string fields) => LeNetLayers + $$"""

        namespace Demo
        {
            [Network({{attribute}})]
            public partial class LeNet
            {
        {{fields}}
            }
        }
        """;

    public const string LeNetFields = """
                private readonly Conv1 conv1;
                private readonly Pool2 pool1;
                private readonly Conv2 conv2;
                private readonly Avg2 pool2;
                private readonly Flatten flatten;
                private readonly Fc1 fc1;
                private readonly Fc2 fc2;
                private readonly Fc3 fc3;
        """;

    public static string LeNet => Network("InChannels = 1, InH = 28, InW = 28", LeNetFields);
}
