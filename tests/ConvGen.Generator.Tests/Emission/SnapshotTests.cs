using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Generator.Tests.Emission;

/// <summary>
/// One committed snapshot per distinct shape of generated code; the numbers themselves are tested by running the
/// kernels. A snapshot diff in review shows exactly what a generator change does to users' code.
/// </summary>
public class SnapshotTests
{
    private static void Verify(string source, string test)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        run.AssertCompilesCleanly();
        KeyValuePair<string, string> file = Assert.Single(run.GeneratedSources);
        SnapshotAssert.Matches(file.Value, file.Key, test: test);
    }

    [Fact]
    public void Stem_3x3_stride2_pad1_any_size()
        => Verify("namespace Demo; [ConvGen.ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32)] public partial class Stem { }", nameof(Stem_3x3_stride2_pad1_any_size));

    [Fact]
    public void Static_size_3x3_makes_every_size_a_literal()
        => Verify("namespace Demo; [ConvGen.ConvLayer(K = 3, P = 1, InChannels = 4, OutChannels = 12, InH = 28, InW = 28)] public partial class Block { }", nameof(Static_size_3x3_makes_every_size_a_literal));

    [Fact]
    public void Static_3x3_with_64_channels_runs_Winograd()
        => Verify("namespace Demo; [ConvGen.ConvLayer(K = 3, P = 1, InChannels = 64, OutChannels = 64, InH = 28, InW = 28, Bias = false)] public partial class Body { }", nameof(Static_3x3_with_64_channels_runs_Winograd));

    [Fact]
    public void Pointwise_with_channels_from_the_constructor()
        => Verify("namespace Demo; [ConvGen.ConvLayer(K = 1)] public partial class Mix { }", nameof(Pointwise_with_channels_from_the_constructor));

    [Fact]
    public void Depthwise_5x5_dilated_without_bias()
        => Verify("namespace Demo; [ConvGen.ConvLayer(K = 5, P = 4, D = 2, Groups = 16, InChannels = 16, OutChannels = 16, Bias = false)] public partial class Depthwise { }", nameof(Depthwise_5x5_dilated_without_bias));

    [Fact]
    public void Kernel_7x7_stride2_with_remainder_tile()
        => Verify("namespace Demo; [ConvGen.ConvLayer(K = 7, P = 3, S = 2, InChannels = 3, OutChannels = 12)] public partial class Stem7 { }", nameof(Kernel_7x7_stride2_with_remainder_tile));

    [Fact]
    public void Kernel_beyond_the_unroll_budget_falls_back()
        => Verify("[ConvGen.ConvLayer(K = 9, P = 4, InChannels = 2, OutChannels = 2)] public partial class Wide { }", nameof(Kernel_beyond_the_unroll_budget_falls_back));

    [Fact]
    public void Nested_in_generic_partial_types()
        => Verify("namespace Demo.Nested { /// <summary>Outer.</summary>\n public partial class Outer<T> { internal partial struct Inner { [ConvGen.ConvLayer(Kh = 1, Kw = 3, Pw = 1, InChannels = 2, OutChannels = 2)] public partial class Row { } } } }", nameof(Nested_in_generic_partial_types));

    [Fact]
    public void Conv1d_with_reflect_padding_and_ReLU_runs_the_one_row_kernel()
        => Verify("namespace Demo; [ConvGen.Conv1dLayer(K = 5, P = 2, InChannels = 8, OutChannels = 16, PaddingMode = ConvGen.PaddingMode.Reflect, Activation = ConvGen.Activation.ReLU)] public partial class Wave { }", nameof(Conv1d_with_reflect_padding_and_ReLU_runs_the_one_row_kernel));

    [Fact]
    public void Same_padding_of_an_even_kernel_is_asymmetric_and_fused_with_SiLU()
        => Verify("namespace Demo; [ConvGen.ConvLayer(K = 4, Padding = ConvGen.PaddingRule.Same, InChannels = 4, OutChannels = 8, InH = 16, InW = 16, Activation = ConvGen.Activation.SiLU)] public partial class Same4 { }", nameof(Same_padding_of_an_even_kernel_is_asymmetric_and_fused_with_SiLU));

    [Fact]
    public void Conv3d_loops_depth_taps_around_the_unrolled_plane_taps()
        => Verify("namespace Demo; [ConvGen.Conv3dLayer(K = 3, P = 1, InChannels = 8, OutChannels = 16, InD = 8, InH = 28, InW = 28)] public partial class Video { }", nameof(Conv3d_loops_depth_taps_around_the_unrolled_plane_taps));

    [Fact]
    public void Separable_layer_runs_two_specialized_kernels_a_band_at_a_time()
        => Verify("namespace Demo; [ConvGen.SeparableConvLayer(K = 3, P = 1, InChannels = 32, OutChannels = 64, InH = 28, InW = 28, Activation = ConvGen.Activation.ReLU6)] public partial class Mobile { }", nameof(Separable_layer_runs_two_specialized_kernels_a_band_at_a_time));

    [Fact]
    public void Transposed_layer_names_its_kernel_and_output_arithmetic()
        => Verify("namespace Demo; [ConvGen.ConvTransposeLayer(K = 4, S = 2, P = 1, InChannels = 16, OutChannels = 8, InH = 7, InW = 7)] public partial class Up { }", nameof(Transposed_layer_names_its_kernel_and_output_arithmetic));

    [Fact]
    public void Generated_text_does_not_depend_on_the_current_culture()
    {
        const string source = "namespace Demo; [ConvGen.ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32, InH = 17, InW = 19)] public partial class Stem { }";
        string invariant = Single(GeneratorHarness.Run(source).GeneratedSources);
        CultureInfo previous = CultureInfo.CurrentCulture;
        try
        {
            // A culture whose minus sign is U+2212 and decimal separator a comma breaks any culture-sensitive formatting.
            var odd = (CultureInfo)CultureInfo.GetCultureInfo("sv-SE").Clone();
            odd.NumberFormat.NegativeSign = "\u2212";
            odd.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = odd;
            CultureInfo.CurrentUICulture = odd;
            Assert.Equal(invariant, Single(GeneratorHarness.Run(source).GeneratedSources));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static string Single(IReadOnlyDictionary<string, string> sources) => Assert.Single(sources).Value;
}
