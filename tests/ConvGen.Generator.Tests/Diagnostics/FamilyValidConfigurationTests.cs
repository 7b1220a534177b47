using System.Linq;
using ConvGen.Generator.Emitting;
using ConvGen.Generator.Model;
using ConvGen.Generator.Tests.Infrastructure;
using Xunit;
using static ConvGen.Generator.Tests.Diagnostics.FamilySources;

namespace ConvGen.Generator.Tests.Diagnostics;

/// <summary>Valid layers of every attribute get no diagnostics; resolution of pads and axes; what the generator emits for.</summary>
public sealed class FamilyValidConfigurationTests
{
    [Theory]
    [InlineData("ConvLayer", "K = 3, PadTop = 1, PadBottom = 1, PadLeft = 0, PadRight = 2")]
    [InlineData("ConvLayer", "K = 3, P = 1, PaddingMode = PaddingMode.Reflect, InH = 8, InW = 8")]
    [InlineData("ConvLayer", "K = 3, P = 1, PaddingMode = PaddingMode.Replicate, Activation = Activation.ReLU")]
    [InlineData("ConvLayer", "K = 3, P = 1, PaddingMode = PaddingMode.Circular, Activation = Activation.ReLU6")]
    [InlineData("ConvLayer", "K = 3, P = 1, Activation = Activation.LeakyReLU")]
    [InlineData("ConvLayer", "K = 3, P = 1, Activation = Activation.LeakyReLU, NegativeSlope = 0.2f")]
    [InlineData("ConvLayer", "K = 3, S = 2, Padding = PaddingRule.Same, InH = 15, InW = 16")]
    [InlineData("ConvLayer", "K = 4, Padding = PaddingRule.SameLower, Activation = Activation.Sigmoid")]
    [InlineData("ConvLayer", "K = 3, S = 2, Padding = PaddingRule.Valid, InH = 17, InW = 17, Activation = Activation.Tanh")]
    [InlineData("Conv1dLayer", "K = 3, P = 1, InChannels = 4, OutChannels = 8")]
    [InlineData("Conv1dLayer", "K = 5, PadLeft = 4, PadRight = 0")]
    [InlineData("Conv1dLayer", "K = 3, S = 2, P = 1, InL = 17")]
    [InlineData("Conv1dLayer", "K = 3, D = 4, P = 4, Groups = 4, InChannels = 4, OutChannels = 8, Bias = false")]
    [InlineData("Conv1dLayer", "K = 3, Padding = PaddingRule.Same, PaddingMode = PaddingMode.Reflect, InL = 8")]
    [InlineData("Conv1dLayer", "K = 3, Padding = PaddingRule.Valid, Activation = Activation.SiLU")]
    [InlineData("Conv3dLayer", "K = 3, P = 1, InChannels = 2, OutChannels = 4, InD = 8, InH = 8, InW = 8")]
    [InlineData("Conv3dLayer", "Kd = 1, Kh = 3, Kw = 3, Pd = 0, Ph = 1, Pw = 1")]
    [InlineData("Conv3dLayer", "K = 3, PadFront = 2, PadBack = 0, Ph = 1, Pw = 1")]
    [InlineData("Conv3dLayer", "K = 3, Sd = 1, Sh = 2, Sw = 2, P = 1, InD = 4, InH = 16, InW = 16")]
    [InlineData("Conv3dLayer", "K = 3, Padding = PaddingRule.Same, PaddingMode = PaddingMode.Replicate, Activation = Activation.ReLU6")]
    [InlineData("ConvTransposeLayer", "K = 4, S = 2, P = 1, InChannels = 8, OutChannels = 4")]
    [InlineData("ConvTransposeLayer", "K = 3, S = 2, P = 1, OutputPadding = 1, InH = 8, InW = 8")]
    [InlineData("ConvTransposeLayer", "K = 3, S = 2, Padding = PaddingRule.Same, OutputPadding = 1")]
    [InlineData("ConvTransposeLayer", "K = 2, S = 2, Padding = PaddingRule.SameLower")]
    [InlineData("ConvTransposeLayer", "K = 3, Sh = 2, Sw = 1, OutputPaddingH = 1, Groups = 2, InChannels = 4, OutChannels = 6")]
    [InlineData("ConvTransposeLayer", "K = 3, D = 2, OutputPadding = 1, Padding = PaddingRule.Valid, Activation = Activation.Tanh")]
    [InlineData("ConvTransposeLayer", "K = 3, PadTop = 1, PadBottom = 0, PaddingMode = PaddingMode.Zeros")]
    [InlineData("ConvTranspose1dLayer", "K = 4, S = 2, P = 1, InL = 16")]
    [InlineData("ConvTranspose1dLayer", "K = 3, S = 2, P = 1, OutputPadding = 1, Activation = Activation.LeakyReLU, NegativeSlope = 0.1f")]
    [InlineData("ConvTranspose3dLayer", "K = 2, S = 2, InChannels = 4, OutChannels = 2")]
    [InlineData("ConvTranspose3dLayer", "K = 3, S = 2, P = 1, OutputPaddingD = 1, OutputPaddingH = 1, OutputPaddingW = 0, InD = 4, InH = 4, InW = 4")]
    [InlineData("SeparableConvLayer", "K = 3, P = 1, InChannels = 8, OutChannels = 16, DepthMultiplier = 2")]
    [InlineData("SeparableConvLayer", "K = 3, P = 1, S = 2, InH = 32, InW = 32")]
    [InlineData("SeparableConvLayer", "K = 5, Padding = PaddingRule.Same, Activation = Activation.LeakyReLU, NegativeSlope = 0.2f")]
    [InlineData("SeparableConvLayer", "Kh = 3, Kw = 1, Ph = 1, Pw = 0, Bias = false, PaddingMode = PaddingMode.Circular, Activation = Activation.Sigmoid")]
    public void Valid_layer_reports_nothing(string attribute, string arguments)
    {
        DiagnosticAssert.Verify(Layer(attribute, arguments));
    }

    [Theory]
    [InlineData("Conv1dLayer", "K = 3, P = 1")]
    [InlineData("Conv1dLayer", "K = 3, S = 2, Padding = PaddingRule.Same, InChannels = 2, OutChannels = 4")]
    [InlineData("Conv1dLayer", "K = 5, InL = 30, PaddingMode = PaddingMode.Reflect, P = 2, InChannels = 2, OutChannels = 4, Activation = Activation.Tanh")]
    [InlineData("Conv3dLayer", "K = 3, P = 1")]
    [InlineData("Conv3dLayer", "K = 3, P = 1, InD = 4, InH = 5, InW = 6, InChannels = 2, OutChannels = 3")]
    [InlineData("ConvTransposeLayer", "K = 4, S = 2, P = 1")]
    [InlineData("ConvTransposeLayer", "K = 3, S = 2, P = 1, OutputPadding = 1, InChannels = 4, OutChannels = 2, InH = 5, InW = 5")]
    [InlineData("ConvTranspose1dLayer", "K = 3, S = 2, InChannels = 4, OutChannels = 2")]
    [InlineData("ConvTranspose3dLayer", "K = 2, S = 2")]
    [InlineData("SeparableConvLayer", "K = 3, P = 1")]
    [InlineData("SeparableConvLayer", "K = 3, P = 1, DepthMultiplier = 2, InChannels = 4, OutChannels = 8, Activation = Activation.SiLU")]
    [InlineData("ConvLayer", "K = 3, P = 1, Activation = Activation.ReLU")]
    [InlineData("ConvLayer", "K = 3, P = 1, InChannels = 16, OutChannels = 16, InH = 8, InW = 8, Activation = Activation.LeakyReLU, NegativeSlope = 0.1f")]
    [InlineData("ConvLayer", "K = 3, PadTop = 1, PadBottom = 0, PadLeft = 1, PadRight = 1")]
    [InlineData("ConvLayer", "K = 3, Padding = PaddingRule.Same")]
    [InlineData("ConvLayer", "K = 3, S = 2, Padding = PaddingRule.Same")]
    public void Every_kind_generates_one_layer_that_compiles_cleanly(string attribute, string arguments)
    {
        GeneratorRun run = GeneratorHarness.Run(Layer(attribute, arguments));
        Assert.Single(run.GeneratedSources);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void Explicit_symmetric_pads_written_one_sided_still_generate()
    {
        GeneratorRun run = GeneratorHarness.Run(Layer("ConvLayer", "K = 3, PadTop = 1, PadBottom = 1, PadLeft = 1, PadRight = 1, InChannels = 3, OutChannels = 8"));
        Assert.Single(run.GeneratedSources);
        run.AssertCompilesCleanly();
    }

    private static LayerSpec Spec(LayerKind kind, int dimensions) => new() { ClassName = "L", IsPartial = true, Kind = kind, Dimensions = dimensions };

    private static IntArgument A(int value) => new(true, value);

    [Fact]
    public void One_dimensional_layers_resolve_onto_the_width_axis()
    {
        LayerGeometry g = (Spec(LayerKind.Convolution, 1) with { K = A(5), S = A(2), PadLeft = A(4), P = A(1), InL = A(20) }).Resolve();
        Assert.Equal((1, 5, 1, 2, 1, 1), (g.KernelH, g.KernelW, g.StrideH, g.StrideW, g.DilationH, g.DilationW));
        Assert.Equal((0, 0, 4, 1), (g.PadH, g.PadBottom, g.PadW, g.PadRight));
        Assert.Equal((1, 20, 0), (g.InH, g.InW, g.InD));
        Assert.Equal(1, g.Dimensions);
        Assert.Null(EmitterSupport.WhyGeneral(g)); // 1-D runs the 2-D kernel with one row
    }

    [Fact]
    public void Same_at_stride_one_splits_the_total_with_the_odd_pixel_at_the_end_or_the_beginning()
    {
        LayerGeometry upper = (Spec(LayerKind.Convolution, 2) with { K = A(4), Padding = (int)LayerPaddingRule.Same }).Resolve();
        Assert.Equal((1, 2, 1, 2), (upper.PadH, upper.PadBottom, upper.PadW, upper.PadRight));
        Assert.True(upper.PadsKnownAtBuildTime);
        LayerGeometry lower = (Spec(LayerKind.Convolution, 2) with { K = A(4), Padding = (int)LayerPaddingRule.SameLower }).Resolve();
        Assert.Equal((2, 1, 2, 1), (lower.PadH, lower.PadBottom, lower.PadW, lower.PadRight));
    }

    [Fact]
    public void Same_with_a_stride_is_known_only_with_a_static_size()
    {
        LayerSpec strided = Spec(LayerKind.Convolution, 2) with { K = A(3), S = A(2), Padding = (int)LayerPaddingRule.Same };
        Assert.False(strided.Resolve().PadsKnownAtBuildTime);
        LayerGeometry g = (strided with { InH = A(15), InW = A(16) }).Resolve();
        Assert.True(g.PadsKnownAtBuildTime);
        Assert.Equal((1, 1, 0, 1), (g.PadH, g.PadBottom, g.PadW, g.PadRight));
        Assert.Equal((8L, 8L), (g.OutH, g.OutW));
    }

    [Fact]
    public void Transposed_same_is_known_without_a_size_and_gives_in_times_stride()
    {
        LayerGeometry g = (Spec(LayerKind.Transposed, 2) with { K = A(3), S = A(2), OutputPadding = A(1), Padding = (int)LayerPaddingRule.Same, InH = A(5), InW = A(7) }).Resolve();
        Assert.True(g.PadsKnownAtBuildTime);
        Assert.Equal((1, 1), (g.PadH, g.PadBottom));
        Assert.Equal((10L, 14L), (g.OutH, g.OutW));
        Assert.Equal((1, 1), (g.OutputPadH, g.OutputPadW));
    }

    [Fact]
    public void Three_dimensional_and_separable_members_resolve()
    {
        LayerGeometry g = (Spec(LayerKind.Convolution, 3) with { K = A(3), Kd = A(3), Sd = A(2), P = A(1), PadBack = A(0), InD = A(9) }).Resolve();
        Assert.Equal((3, 2, 1, 1, 0, 9), (g.KernelD, g.StrideD, g.DilationD, g.PadFront, g.PadBack, g.InD));
        Assert.Equal(27, g.Taps);
        LayerGeometry s = (Spec(LayerKind.Separable, 2) with { K = A(3), DepthMultiplier = A(2), Activation = (int)LayerActivation.SiLU }).Resolve();
        Assert.Equal((2, 1, LayerActivation.SiLU), (s.DepthMultiplier, s.Groups, s.Activation));
    }

    [Fact]
    public void Positional_geometry_keeps_its_meaning()
    {
        var g = new LayerGeometry(3, 8, 3, 3, 1, 1, 1, 2, 1, 1, 1, true, 0, 0);
        Assert.Equal((1, 1, 2, 2), (g.PadH, g.PadBottom, g.PadW, g.PadRight));
        Assert.Equal((LayerKind.Convolution, 2, LayerPaddingRule.Explicit, true), (g.Kind, g.Dimensions, g.PaddingRule, g.PadsKnownAtBuildTime));
        Assert.Null(EmitterSupport.WhyGeneral(g));
        Assert.Null(EmitterSupport.WhyGeneral(g with { PadBottom = 0, Activation = LayerActivation.ReLU, PaddingMode = LayerPaddingMode.Reflect }));
        Assert.Contains("stride above 1", EmitterSupport.WhyGeneral(g with { PadsKnownAtBuildTime = false }));
    }
}
