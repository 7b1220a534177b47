using System;
using System.Collections.Immutable;
using System.Globalization;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static ConvGen.Generator.Tests.Diagnostics.FamilySources;

namespace ConvGen.Generator.Tests.Diagnostics;

/// <summary>CONV0017-CONV0025 and CONV0054-CONV0058: the checks that came with 1-D, 3-D, transposed and separable layers.</summary>
public sealed class FamilyDiagnosticsTests
{
    private static Diagnostic Single(ImmutableArray<Diagnostic> d, string id, DiagnosticSeverity severity, params string[] fragments)
    {
        Diagnostic diagnostic = Assert.Single(d, x => x.Id == id);
        Assert.Equal(severity, diagnostic.Severity);
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, message, StringComparison.Ordinal);
        }

        return diagnostic;
    }

    [Fact]
    public void CONV0017_two_layer_attributes_are_reported_on_each()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            [{|CONV0017:ConvLayer(K = 3)|}]
            [{|CONV0017:Conv1dLayer(K = 3)|}]
            public partial class Stem
            {
            }
            """);
        Assert.All(d, x => Assert.Equal(DiagnosticSeverity.Error, x.Severity));
        Assert.Contains(d, x => x.GetMessage(CultureInfo.InvariantCulture).StartsWith("Class 'Stem' carries [ConvLayer] and also [Conv1dLayer]", StringComparison.Ordinal));
        Assert.Contains(d, x => x.GetMessage(CultureInfo.InvariantCulture).StartsWith("Class 'Stem' carries [Conv1dLayer] and also [ConvLayer]", StringComparison.Ordinal));
    }

    [Fact]
    public void CONV0017_near_miss_one_attribute_per_class()
    {
        DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            [ConvLayer(K = 3)]
            public partial class Stem { }

            [Conv1dLayer(K = 3)]
            public partial class Sequence { }
            """);
    }

    [Theory]
    [InlineData("ConvLayer", "K = 3, Padding = PaddingRule.Same, {|CONV0018:P = 1|}", "Padding = Same", "P = 1")]
    [InlineData("ConvLayer", "K = 3, Padding = PaddingRule.Valid, {|CONV0018:PadTop = 0|}", "Padding = Valid", "PadTop = 0")]
    [InlineData("Conv3dLayer", "K = 3, Padding = PaddingRule.SameLower, {|CONV0018:PadFront = 2|}", "Padding = SameLower", "PadFront = 2")]
    [InlineData("Conv1dLayer", "K = 3, Padding = PaddingRule.Same, {|CONV0018:PadRight = 1|}", "Padding = Same", "PadRight = 1")]
    public void CONV0018_padding_rule_with_written_pads(string attribute, string arguments, string rule, string pad)
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer(attribute, arguments));
        Single(d, DiagnosticIds.PaddingRuleWithPads, DiagnosticSeverity.Error, rule, pad);
    }

    [Theory]
    [InlineData("K = 3, Padding = PaddingRule.Same")]
    [InlineData("K = 3, Padding = PaddingRule.Explicit, P = 1")]
    public void CONV0018_near_miss(string arguments) => DiagnosticAssert.Verify(Layer("ConvLayer", arguments));

    [Fact]
    public void CONV0019_negative_output_padding()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvTransposeLayer", "K = 3, S = 2, {|CONV0019:OutputPadding = -1|}"));
        Single(d, DiagnosticIds.OutputPaddingNegative, DiagnosticSeverity.Error, "OutputPadding = -1", "'Stem'");
    }

    [Fact]
    public void CONV0020_output_padding_not_below_stride_or_dilation()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvTransposeLayer", "K = 3, S = 2, {|CONV0020:OutputPaddingH = 2|}"));
        Single(d, DiagnosticIds.OutputPaddingTooLarge, DiagnosticSeverity.Error, "OutputPaddingH = 2 must be smaller than stride 2 or dilation 1", "height axis", "rows");
    }

    [Fact]
    public void CONV0020_shared_output_padding_is_one_diagnostic_naming_both_axes()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvTransposeLayer", "K = 3, S = 2, {|CONV0020:OutputPadding = 2|}"));
        Single(d, DiagnosticIds.OutputPaddingTooLarge, DiagnosticSeverity.Error, "OutputPadding = 2 must be smaller than stride 2 or dilation 1",
            "height and width axes", "rows and columns");
    }

    [Fact]
    public void CONV0020_on_the_depth_axis_of_a_3d_layer()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvTranspose3dLayer", "K = 3, S = 2, Sd = 1, {|CONV0020:OutputPaddingD = 1|}"));
        Single(d, DiagnosticIds.OutputPaddingTooLarge, DiagnosticSeverity.Error, "OutputPaddingD = 1 must be smaller than stride 1 or dilation 1", "depth axis");
    }

    [Theory]
    [InlineData("ConvTransposeLayer", "K = 3, S = 2, OutputPaddingH = 1")]
    [InlineData("ConvTransposeLayer", "K = 3, D = 2, OutputPadding = 1")]
    [InlineData("ConvTranspose1dLayer", "K = 3, S = 3, OutputPadding = 2")]
    public void CONV0020_near_miss(string attribute, string arguments) => DiagnosticAssert.Verify(Layer(attribute, arguments));

    [Fact]
    public void CONV0021_reflect_padding_on_a_transposed_layer()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvTransposeLayer", "K = 3, S = 2, {|CONV0021:PaddingMode = PaddingMode.Reflect|}"));
        Single(d, DiagnosticIds.PaddingModeOnTransposed, DiagnosticSeverity.Error, "[ConvTransposeLayer]", "PaddingMode = Reflect");
    }

    [Fact]
    public void CONV0021_near_miss_zeros_and_reflect_on_a_convolution()
    {
        DiagnosticAssert.Verify(Layer("ConvTranspose1dLayer", "K = 3, S = 2, PaddingMode = PaddingMode.Zeros"));
        DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 3, P = 1, PaddingMode = PaddingMode.Reflect"));
    }

    [Fact]
    public void CONV0022_depth_multiplier_below_one()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("SeparableConvLayer", "K = 3, P = 1, {|CONV0022:DepthMultiplier = 0|}"));
        Single(d, DiagnosticIds.DepthMultiplierInvalid, DiagnosticSeverity.Error, "DepthMultiplier = 0", "'Stem'");
    }

    [Fact]
    public void CONV0022_near_miss() => DiagnosticAssert.Verify(Layer("SeparableConvLayer", "K = 3, P = 1, DepthMultiplier = 2, InChannels = 8, OutChannels = 16"));

    [Fact]
    public void CONV0011_depthwise_message_names_the_channel_multiplier()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, P = 1, {|CONV0011:Groups = 8|}, InChannels = 8, OutChannels = 12"));
        Single(d, DiagnosticIds.GroupsNotDividing, DiagnosticSeverity.Error, "does not divide OutChannels = 12 (12 mod 8 = 4)", "depthwise",
            "channel multiplier", "OutChannels/Groups = 12/8", "OutChannels = 16");
    }

    [Fact]
    public void CONV0011_applies_to_1d_and_transposed_layers()
    {
        DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 3, {|CONV0011:Groups = 3|}, InChannels = 8, OutChannels = 9"));
        DiagnosticAssert.Verify(Layer("ConvTranspose3dLayer", "K = 3, {|CONV0011:Groups = 2|}, InChannels = 4, OutChannels = 3"));
    }

    [Fact]
    public void CONV0023_negative_slope_without_leaky_relu()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, P = 1, Activation = Activation.ReLU, {|CONV0023:NegativeSlope = 0.2f|}"));
        Single(d, DiagnosticIds.NegativeSlopeIgnored, DiagnosticSeverity.Warning, "NegativeSlope = 0.2", "activation is ReLU");
        d = DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 3, {|CONV0023:NegativeSlope = 0.1f|}"));
        Single(d, DiagnosticIds.NegativeSlopeIgnored, DiagnosticSeverity.Warning, "NegativeSlope = 0.1", "activation is None");
    }

    [Fact]
    public void CONV0023_near_miss() => DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, P = 1, Activation = Activation.LeakyReLU, NegativeSlope = 0.2f"));

    [Theory]
    [InlineData("float.NaN", "NaN")]
    [InlineData("float.PositiveInfinity", "Infinity")]
    [InlineData("-1f / 0", "-Infinity")]
    public void CONV0024_negative_slope_not_finite(string value, string shown)
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, Activation = Activation.LeakyReLU, {|CONV0024:NegativeSlope = " + value + "|}"));
        Single(d, DiagnosticIds.NegativeSlopeNotFinite, DiagnosticSeverity.Error, "NegativeSlope = " + shown + " for layer 'Stem'");
    }

    [Fact]
    public void CONV0024_near_miss_negative_and_zero_slopes_are_finite()
    {
        DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, Activation = Activation.LeakyReLU, NegativeSlope = -0.5f"));
        DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, Activation = Activation.LeakyReLU, NegativeSlope = 0"));
    }

    [Theory]
    [InlineData("{|CONV0025:Activation = (Activation)42|}", "Activation = 42", "Activation value")]
    [InlineData("{|CONV0025:Padding = (PaddingRule)7|}", "Padding = 7", "PaddingRule value")]
    [InlineData("{|CONV0025:PaddingMode = (PaddingMode)(-1)|}", "PaddingMode = -1", "PaddingMode value")]
    public void CONV0025_enum_value_out_of_range(string argument, string shown, string type)
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, " + argument));
        Single(d, DiagnosticIds.EnumValueInvalid, DiagnosticSeverity.Error, shown, type);
    }

    [Fact]
    public void CONV0025_near_miss_every_defined_value_via_a_cast() => DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, Activation = (Activation)6, Padding = (PaddingRule)3"));

    [Fact]
    public void CONV0054_same_unreachable_for_a_transposed_layer()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvTransposeLayer", "K = 1, {|CONV0054:S = 2|}, Padding = PaddingRule.Same"));
        Single(d, DiagnosticIds.SamePaddingImpossible, DiagnosticSeverity.Error, "height and width axes", "in*2", "1*(1-1)+1 + 0 = 1");
    }

    [Fact]
    public void CONV0054_near_miss_output_padding_reaches_the_stride()
    {
        DiagnosticAssert.Verify(Layer("ConvTransposeLayer", "K = 1, S = 2, OutputPadding = 1, Padding = PaddingRule.Same"));
        DiagnosticAssert.Verify(Layer("ConvTranspose1dLayer", "K = 2, S = 2, Padding = PaddingRule.Same"));
    }

    [Fact]
    public void CONV0055_stride_and_dilation_on_one_axis()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, P = 2, {|CONV0055:S = 2|}, D = 2"));
        Single(d, DiagnosticIds.StrideWithDilation, DiagnosticSeverity.Warning, "stride S = 2 with dilation D = 2", "height and width");
        d = DiagnosticAssert.Verify(Layer("Conv3dLayer", "K = 3, {|CONV0055:Sd = 2|}, Dd = 3"));
        Single(d, DiagnosticIds.StrideWithDilation, DiagnosticSeverity.Warning, "stride Sd = 2 with dilation Dd = 3", "depth");
    }

    [Fact]
    public void CONV0055_near_miss_stride_and_dilation_on_different_axes() => DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, Sh = 2, Dw = 2"));

    [Fact]
    public void CONV0056_transposed_output_cropped_away()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvTranspose1dLayer", "K = 3, {|CONV0056:P = 3|}, InL = 1"));
        Single(d, DiagnosticIds.TransposedOutputNotPositive, DiagnosticSeverity.Error,
            "output length -3 for input length 1: (1-1)*1 - 3 - 3 + 1*(3-1) + 0 + 1 = -3", "full output 3");
    }

    [Fact]
    public void CONV0056_near_miss_and_no_convolution_rules_for_transposed_layers()
    {
        // Cropping 1 of a full output of 3 leaves 1; a convolution rule (padding >= kernel, stride skipping inputs) must not fire.
        DiagnosticAssert.Verify(Layer("ConvTranspose1dLayer", "K = 3, P = 1, InL = 1"));
        DiagnosticAssert.Verify(Layer("ConvTransposeLayer", "K = 3, S = 4, P = 1, InH = 7, InW = 8"));
    }

    [Fact]
    public void CONV0057_reflect_padding_as_large_as_the_input()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvLayer", "K = 5, {|CONV0057:P = 2|}, PaddingMode = PaddingMode.Reflect, InH = 2, InW = 8"));
        Single(d, DiagnosticIds.PaddingExceedsInput, DiagnosticSeverity.Error, "pads its height with PaddingMode = Reflect by P = 2", "input height is 2", "smaller than");
    }

    [Fact]
    public void CONV0057_circular_padding_larger_than_the_input()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 7, {|CONV0057:P = 3|}, PaddingMode = PaddingMode.Circular, InL = 2"));
        Single(d, DiagnosticIds.PaddingExceedsInput, DiagnosticSeverity.Error, "pads its length with PaddingMode = Circular by P = 3", "input length is 2", "at most");
    }

    [Fact]
    public void CONV0057_same_pads_known_at_build_time_are_checked_too()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvLayer", "K = 5, {|CONV0057:Padding = PaddingRule.Same|}, PaddingMode = PaddingMode.Reflect, InH = 2, InW = 8"));
        Single(d, DiagnosticIds.PaddingExceedsInput, DiagnosticSeverity.Error, "the 'same' begin pad = 2", "input height is 2");
    }

    [Fact]
    public void CONV0057_near_miss()
    {
        DiagnosticAssert.Verify(Layer("ConvLayer", "K = 5, P = 2, PaddingMode = PaddingMode.Reflect, InH = 3, InW = 8"));
        DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 5, P = 2, PaddingMode = PaddingMode.Circular, InL = 2"));
        DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 7, P = 3, PaddingMode = PaddingMode.Replicate, InL = 2"));
    }

    [Fact]
    public void CONV0058_same_with_stride_and_no_static_size_is_info()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, S = 2, {|CONV0058:Padding = PaddingRule.Same|}"));
        Single(d, DiagnosticIds.SamePaddingAtRunTime, DiagnosticSeverity.Info, "Padding = Same with stride 2 along height and width", "give InH and InW");
        d = DiagnosticAssert.Verify(Layer("SeparableConvLayer", "K = 3, Sh = 2, InW = 9, {|CONV0058:Padding = PaddingRule.SameLower|}"));
        Single(d, DiagnosticIds.SamePaddingAtRunTime, DiagnosticSeverity.Info, "Padding = SameLower with stride 2 along height and no static input height", "give InH");
    }

    [Fact]
    public void CONV0058_near_miss_static_size_stride_one_or_transposed()
    {
        DiagnosticAssert.Verify(Layer("ConvLayer", "K = 3, S = 2, Padding = PaddingRule.Same, InH = 16, InW = 16"));
        DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 3, Padding = PaddingRule.Same"));
        DiagnosticAssert.Verify(Layer("ConvTransposeLayer", "K = 3, S = 2, OutputPadding = 1, Padding = PaddingRule.Same"));
    }

    [Fact]
    public void Existing_checks_run_on_the_depth_axis_and_the_length_axis()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("Conv3dLayer", "K = 3, {|CONV0050:InD = 1|}, InH = 8, InW = 8"));
        Single(d, DiagnosticIds.OutputSizeNotPositive, DiagnosticSeverity.Error, "output depth -1 for input depth 1");
        d = DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 3, {|CONV0052:P = 3|}"));
        Single(d, DiagnosticIds.PaddingOnlyOutputs, DiagnosticSeverity.Warning, "output position(s) at each edge");
        DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 3, PadLeft = 0, {|CONV0052:PadRight = 3|}"));
        DiagnosticAssert.Verify(Layer("Conv3dLayer", "{|CONV0006:{|CONV0006:Kd = 3|}|}"));
        DiagnosticAssert.Verify(Layer("Conv3dLayer", "K = 3, {|CONV0005:Kd = 1|}"));
        DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 3, {|CONV0007:S = 0|}"));
        DiagnosticAssert.Verify(Layer("Conv3dLayer", "K = 3, {|CONV0014:InD = 0|}"));
        DiagnosticAssert.Verify(Layer("Conv1dLayer", "K = 4, {|CONV0053:P = 2|}"));
        d = DiagnosticAssert.Verify(Layer("Conv3dLayer", "{|CONV0016:K = 2000|}"));
        Single(d, DiagnosticIds.LayerTooLarge, DiagnosticSeverity.Error, "taps per filter Kd*Kh*Kw = 8000000000");
    }

    [Fact]
    public void Conv1d_without_a_kernel_is_reported_on_the_attribute()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            [{|CONV0006:Conv1dLayer(P = 1)|}]
            public partial class Stem
            {
            }
            """);
        Single(d, DiagnosticIds.KernelSizeMissing, DiagnosticSeverity.Error, "has no kernel length (K): write K");
    }
}
