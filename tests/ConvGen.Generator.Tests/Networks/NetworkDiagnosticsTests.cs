using System.Collections.Immutable;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static ConvGen.Generator.Tests.Networks.NetworkSources;

namespace ConvGen.Generator.Tests.Networks;

/// <summary>CONV0100-CONV0108: a network that does not chain is a build error on the field where it breaks, with both numbers.</summary>
public sealed class NetworkDiagnosticsTests
{
    [Fact]
    public void A_chaining_network_has_no_diagnostics_and_compiles_cleanly()
    {
        DiagnosticAssert.Verify(LeNet);
        GeneratorHarness.Run(LeNet).AssertCompilesCleanly();
    }

    [Fact]
    public void CONV0100_channel_mismatch_names_both_channel_counts_and_the_producer()
    {
        // conv2 expects 6 channels; the network input has 1.
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Network("InChannels = 1, InH = 28, InW = 28", """
                    private readonly Conv2 {|CONV0100:conv2|};
            """));
        Assert.Equal("Layer 'conv2' (Conv2) expects 6 input channels, but the network input gives it 1 channels ([1, 28, 28])",
            DiagnosticAssert.Message(d, DiagnosticIds.NetworkChannelMismatch));
    }

    [Fact]
    public void CONV0100_between_two_layers_names_the_previous_field()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Network("InChannels = 1, InH = 28, InW = 28", """
                    private readonly Conv1 conv1;
                    private readonly Conv1 {|CONV0100:again|};
            """));
        Assert.Equal("Layer 'again' (Conv1) expects 1 input channels, but 'conv1' gives it 6 channels ([6, 28, 28])",
            DiagnosticAssert.Message(d, DiagnosticIds.NetworkChannelMismatch));
    }

    [Fact]
    public void CONV0101_a_pool_window_larger_than_what_reaches_it()
    {
        // 28 -> conv 24 (no padding? conv1 pads 2: 28) -> pool 14 -> conv2 10 -> pool 5 -> pool 2 -> pool 1 -> pool 0.
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Network("InChannels = 1, InH = 4, InW = 4", """
                    private readonly Conv1 conv1;
                    private readonly Pool2 p1;
                    private readonly Pool2 p2;
                    private readonly Pool2 {|CONV0101:p3|};
            """));
        Assert.Equal("Layer 'p3' (Pool2) receives [6, 1, 1] from 'p2', and its output height would be 0: floor((1 + 2*0 - 2) / 2) + 1; the window K = 2 is larger than the padded height 1",
            DiagnosticAssert.Message(d, DiagnosticIds.NetworkSizeNotPositive));
    }

    [Fact]
    public void CONV0101_a_convolution_whose_kernel_outgrows_the_shrunken_input_quotes_the_layer_rule()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Network("InChannels = 1, InH = 12, InW = 12", """
                    private readonly Conv1 conv1;
                    private readonly Pool2 pool1;
                    private readonly Pool2 pool2;
                    private readonly Conv2 {|CONV0101:conv2|};
            """));
        string message = DiagnosticAssert.Message(d, DiagnosticIds.NetworkSizeNotPositive);
        Assert.StartsWith("Layer 'conv2' (Conv2) receives [6, 3, 3] from 'pool2', and its output size would be less than 1: Layer 'Conv2' has output height -1 for input height 3", message);
    }

    [Fact]
    public void CONV0102_linear_features_that_do_not_match_the_flattened_shape()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Network("InChannels = 1, InH = 28, InW = 28", """
                    private readonly Conv1 conv1;
                    private readonly Pool2 pool1;
                    private readonly Flatten flatten;
                    private readonly Fc1 {|CONV0102:fc1|};
            """));
        Assert.Equal("Layer 'fc1' (Fc1) reads 400 features, but 'flatten' gives it [1176] = 1176 features",
            DiagnosticAssert.Message(d, DiagnosticIds.NetworkFeaturesMismatch));
    }

    [Fact]
    public void CONV0102_without_flatten_shows_the_product()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Network("InChannels = 1, InH = 28, InW = 28", """
                    private readonly Conv1 conv1;
                    private readonly Fc1 {|CONV0102:fc1|};
            """));
        Assert.Equal("Layer 'fc1' (Fc1) reads 400 features, but 'conv1' gives it [6, 28, 28] (flattened: 6 x 28 x 28) = 4704 features",
            DiagnosticAssert.Message(d, DiagnosticIds.NetworkFeaturesMismatch));
    }

    [Fact]
    public void CONV0103_a_layer_whose_static_size_differs_from_what_reaches_it()
    {
        string source = "using ConvGen;\n[ConvLayer(K = 3, P = 1, InChannels = 6, OutChannels = 6, InH = 32, InW = 32)] public partial class Fixed32 { }\n"
            + Network("InChannels = 1, InH = 28, InW = 28", """
                    private readonly Conv1 conv1;
                    private readonly global::Fixed32 {|CONV0103:fixed32|};
            """);
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(source);
        Assert.Equal("Layer 'fixed32' (Fixed32) cannot run on the [6, 28, 28] input it receives from 'conv1': it declares InH = 32, InW = 32 but the size that reaches it is 28x28",
            DiagnosticAssert.Message(d, DiagnosticIds.NetworkLayerDoesNotFit));
    }

    [Fact]
    public void CONV0103_reflect_padding_wider_than_the_input_that_reaches_the_layer()
    {
        string source = "using ConvGen;\n[ConvLayer(K = 5, P = 2, PaddingMode = PaddingMode.Reflect, InChannels = 6, OutChannels = 6)] public partial class Mirror { }\n"
            + Network("InChannels = 1, InH = 4, InW = 4", """
                    private readonly Conv1 conv1;
                    private readonly Pool2 pool1;
                    private readonly global::Mirror {|CONV0103:mirror|};
            """);
        string message = DiagnosticAssert.Message(DiagnosticAssert.Verify(source), DiagnosticIds.NetworkLayerDoesNotFit);
        Assert.StartsWith("Layer 'mirror' (Mirror) cannot run on the [6, 2, 2] input it receives from 'pool1': Layer 'Mirror' pads", message);
    }

    [Fact]
    public void CONV0103_a_1d_layer_in_a_2d_network()
    {
        string source = "using ConvGen;\n[Conv1dLayer(K = 3, InChannels = 6, OutChannels = 6)] public partial class Wave { }\n"
            + Network("InChannels = 1, InH = 28, InW = 28", """
                    private readonly Conv1 conv1;
                    private readonly global::Wave {|CONV0103:wave|};
            """);
        Assert.Equal("Layer 'wave' (Wave) cannot run on the [6, 28, 28] input it receives from 'conv1': it is a 1-D layer (NCL data) but receives NCHW data",
            DiagnosticAssert.Message(DiagnosticAssert.Verify(source), DiagnosticIds.NetworkLayerDoesNotFit));
    }

    [Fact]
    public void CONV0104_a_field_that_is_not_a_layer()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Network("InChannels = 1, InH = 28, InW = 28", """
                    private readonly Conv1 conv1;
                    private int {|CONV0104:calls|};
            """));
        Assert.Equal("Field 'calls' of network 'LeNet' has type 'int', which is not a ConvGen layer; the instance fields of a [Network] class are its layers, in order (make other state static, or a property)",
            DiagnosticAssert.Message(d, DiagnosticIds.NetworkFieldNotALayer));
    }

    [Fact]
    public void CONV0105_a_layer_with_channels_from_its_constructor()
    {
        string source = "using ConvGen;\n[ConvLayer(K = 1)] public partial class AnyMix { }\n"
            + Network("InChannels = 1, InH = 28, InW = 28", """
                    private readonly global::AnyMix {|CONV0105:mix|};
            """);
        DiagnosticAssert.Verify(source);
    }

    [Fact]
    public void CONV0106_input_shape_must_name_one_layout()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(LeNetLayers + """

            namespace Demo
            {
                [{|CONV0106:Network(InChannels = 1, InH = 28)|}]
                public partial class HalfShape
                {
                    private readonly Conv1 conv1;
                }
            }
            """);
        Assert.Equal("Network 'HalfShape' has an invalid input shape: give InL (1-D, NCL), or InH and InW (2-D, NCHW), or InD, InH and InW (3-D, NCDHW)",
            DiagnosticAssert.Message(d, DiagnosticIds.NetworkInputInvalid));
    }

    [Fact]
    public void CONV0107_a_network_without_layers()
    {
        DiagnosticAssert.Verify(LeNetLayers + """

            namespace Demo
            {
                [Network(InChannels = 1, InH = 28, InW = 28)]
                public partial class {|CONV0107:Empty|} { }
            }
            """);
    }

    [Fact]
    public void CONV0108_a_network_class_that_is_not_partial()
    {
        DiagnosticAssert.Verify(LeNetLayers + """

            namespace Demo
            {
                [Network(InChannels = 1, InH = 28, InW = 28)]
                public class {|CONV0108:Plain|}
                {
                    private readonly Conv1 conv1 = new();
                }
            }
            """);
    }

    [Fact]
    public void CONV0109_a_residual_must_name_an_earlier_layer()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Network("InChannels = 1, InH = 28, InW = 28", """
                    [Residual("later")]
                    private readonly Conv1 {|CONV0109:conv1|};
                    private readonly Pool2 later;
            """));
        Assert.Equal("Layer 'conv1' (Conv1) adds 'later', which is not an earlier layer field of this network",
            DiagnosticAssert.Message(d, DiagnosticIds.NetworkResidualSourceInvalid));
    }

    [Fact]
    public void CONV0110_a_residual_between_different_shapes()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Network("InChannels = 1, InH = 28, InW = 28", """
                    private readonly Conv1 conv1;
                    [Residual(nameof(conv1), Activation = Activation.ReLU)]
                    private readonly Pool2 {|CONV0110:pool1|};
            """));
        Assert.Equal("Layer 'pool1' (Pool2) outputs [6, 14, 14] but adds 'conv1', which outputs [6, 28, 28]; a residual add needs one shape",
            DiagnosticAssert.Message(d, DiagnosticIds.NetworkResidualShapeMismatch));
    }

    [Fact]
    public void CONV0026_and_CONV0027_pool_and_linear_arguments()
    {
        DiagnosticAssert.Verify("""
            using ConvGen;
            [MaxPoolLayer({|CONV0026:K = 0|})] public partial class NoWindow { }
            [AvgPoolLayer(K = 3, {|CONV0026:P = 2|})] public partial class TooMuchPadding { }
            [LinearLayer(InFeatures = 4, {|CONV0027:OutFeatures = 0|})] public partial class NoOutputs { }
            """);
    }
}
