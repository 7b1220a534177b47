using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static ConvGen.Generator.Tests.Diagnostics.Sources;

namespace ConvGen.Generator.Tests.Diagnostics;

/// <summary>CONV0050-CONV0053 (shape checks) and CONV0080 (general-kernel fallback).</summary>
public sealed class ShapeDiagnosticsTests
{
    [Fact]
    public void CONV0050_static_input_smaller_than_the_kernel_shows_the_output_formula()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 5, {|CONV0050:InH = 2|}, InW = 8, InChannels=1, OutChannels=1"));
        string message = DiagnosticAssert.Message(d, DiagnosticIds.OutputSizeNotPositive);
        Assert.Equal(
            "Layer 'Stem' has output height -2 for input height 2: floor((2 + 2*0 - 1*(5-1) - 1) / 1) + 1 = -2; " +
            "the padded input 2 is smaller than the dilated kernel 5",
            message);
        Assert.Contains("floor((2 + 2*0 - 1*(5-1) - 1) / 1) + 1 = -2", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void CONV0050_counts_padding_stride_and_dilation()
    {
        // Dilated kernel 2*(3-1)+1 = 5, padded input 1 + 2*1 = 3: floor((1 + 2 - 4 - 1) / 2) + 1 = floor(-2/2) + 1 = 0.
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, P = 1, {|CONV0055:S = 2|}, D = 2, InH = 8, {|CONV0050:InW = 1|}"));
        Assert.Equal(
            "Layer 'Stem' has output width 0 for input width 1: floor((1 + 2*1 - 2*(3-1) - 1) / 2) + 1 = 0; " +
            "the padded input 3 is smaller than the dilated kernel 5",
            DiagnosticAssert.Message(d, DiagnosticIds.OutputSizeNotPositive));
    }

    [Fact]
    public void CONV0050_input_smaller_than_the_kernel_that_fits_once_padded_is_not_an_error()
    {
        DiagnosticAssert.Verify(Layer("K = 5, P = 2, InH = 3, InW = 3, InChannels = 1, OutChannels = 1"));
        DiagnosticAssert.Verify(Layer("K = 3, P = 1, InH = 1, InW = 1, InChannels = 1, OutChannels = 1"));
    }

    [Fact]
    public void CONV0051_real_rows_skipped_by_the_stride_are_reported_on_S()
    {
        // Padded height 8 + 2 = 10, windows of 3 at stride 4 start at 0 and 4 and end at row 6: padded rows 7, 8, 9 are
        // never read, and only the last of them is padding, so input rows 6 and 7 are lost.
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, P = 1, {|CONV0051:S = 4|}, InH = 8, InChannels = 3, OutChannels = 8"));
        Assert.Equal(
            "Layer 'Stem' never reads the last 2 input row(s): (8 + 2*1 - 1*(3-1) - 1) mod 4 = 3 position(s) lie past the last window and 1 of them are padding",
            DiagnosticAssert.Message(d, DiagnosticIds.InputNeverRead));
    }

    [Fact]
    public void CONV0051_per_axis_stride_is_reported_on_that_axis()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, S = 2, {|CONV0051:Sw = 2|}, InH = 9, InW = 8"));
        Assert.Equal(
            "Layer 'Stem' never reads the last 1 input column(s): (8 + 2*0 - 1*(3-1) - 1) mod 2 = 1 position(s) lie past the last window and 0 of them are padding",
            DiagnosticAssert.Message(d, DiagnosticIds.InputNeverRead));
    }

    [Fact]
    public void CONV0051_flagship_stem_on_even_sizes_skips_only_padding()
    {
        // (224 + 2 - 3) mod 2 = 1 position is skipped at each axis' end, and it is the padding column/row.
        DiagnosticAssert.Verify(Layer(FlagshipArguments + ", InH = 224, InW = 224"));
        DiagnosticAssert.Verify(Layer(FlagshipArguments + ", InH = 225, InW = 31"));
    }

    [Fact]
    public void CONV0052_padding_larger_than_the_kernel_is_one_warning_for_both_axes()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, {|CONV0052:P = 4|}, InChannels = 3, OutChannels = 8"));
        Diagnostic warning = Assert.Single(d);
        Assert.Equal(
            "Layer 'Stem' pads P = 4, at least its dilated kernel D*(K-1)+1 = 3: the first 2 output row(s) and column(s) at each edge see only padding",
            warning.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
    }

    [Fact]
    public void CONV0052_different_axes_are_reported_separately()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, {|CONV0052:Ph = 4|}, {|CONV0052:Pw = 6|}, S = 2"));
        Assert.Equal(2, d.Length);
    }

    [Fact]
    public void CONV0052_per_axis_padding_counts_stride()
    {
        // Windows start at 0, 2, 4, ...; those ending before row 5 (start <= 5 - 3 = 2) see only padding: 2 of them.
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, {|CONV0052:Ph = 5|}, Pw = 1, S = 2"));
        Assert.Equal(
            "Layer 'Stem' pads Ph = 5, at least its dilated kernel D*(K-1)+1 = 3: the first 2 output row(s) at each edge see only padding",
            DiagnosticAssert.Message(d, DiagnosticIds.PaddingOnlyOutputs));
    }

    [Fact]
    public void CONV0053_even_kernel_with_half_padding_is_reported_on_P()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("Kh = 4, Kw = 3, {|CONV0053:Ph = 2|}, Pw = 1"));
        Assert.Equal(
            "Layer 'Stem' has even kernel Kh = 4 with padding Ph = 2 on each side: at stride 1 the output height is the input height + 1; keeping the size needs asymmetric padding (1 before, 2 after)",
            DiagnosticAssert.Message(d, DiagnosticIds.EvenKernelHalfPadding));
    }

    [Fact]
    public void CONV0053_square_even_kernel_is_one_warning_for_both_axes()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 2, {|CONV0053:P = 1|}, InChannels = 4, OutChannels = 4"));
        Assert.Contains("even kernel K = 2 with padding P = 1 on each side: at stride 1 the output height and width is the input height and width + 1; keeping the size needs asymmetric padding (0 before, 1 after)",
            Assert.Single(d).GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{|CONV0016:K = 46341|}", "taps per filter Kh*Kw = 2147488281")]
    [InlineData("K = 3, InChannels = 50000, {|CONV0016:OutChannels = 50000|}", "weights Cout*(Cin/G)*Kh*Kw = 22500000000")]
    [InlineData("K = 1, {|CONV0016:P = 1073741824|}, InH = 1, InW = 1", "padded extent InH + 2*Ph + Dh*(Kh-1) + 1 = 2147483650")]
    [InlineData("K = 3, P = 1, {|CONV0016:InH = 50000|}, InW = 50000", "padded plane (InH + 2*Ph)*(InW + 2*Pw) = 2500200004")]
    public void CONV0016_sizes_beyond_what_a_span_can_index_are_errors(string arguments, string expected)
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer(arguments));
        Assert.Contains(expected + " exceeds 2147483647", DiagnosticAssert.Message(d, DiagnosticIds.LayerTooLarge), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CONV0080_large_kernel_falls_back_to_the_general_kernel()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            [{|CONV0080:ConvLayer(K = 9, P = 4, InChannels = 3, OutChannels = 8)|}]
            public partial class Stem
            {
            }
            """);
        Diagnostic fallback = Assert.Single(d);
        Assert.Equal(DiagnosticSeverity.Info, fallback.Severity);
        Assert.Equal(
            "Layer 'Stem' uses the general runtime kernel instead of a specialized one: its 9x9 kernel has 81 taps per input channel, above the unroll budget of 64",
            fallback.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void CONV0080_is_not_reported_for_a_layer_with_errors()
    {
        DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            [ConvLayer(K = 9, P = 4, {|CONV0007:S = 0|})]
            public partial class Stem
            {
            }
            """);
    }

    [Fact]
    public void CONV0080_is_not_reported_at_the_unroll_budget()
    {
        // 8x8 = 64 taps is exactly the budget.
        ImmutableArray<Diagnostic> all = GeneratorHarness.GetAnalyzerDiagnostics(Layer("K = 8, InChannels = 3, OutChannels = 8"));
        Assert.DoesNotContain(all, x => x.Id == DiagnosticIds.GeneralKernelFallback);
        all = GeneratorHarness.GetAnalyzerDiagnostics(Layer("Kh = 1, Kw = 65"));
        Assert.Contains(all, x => x.Id == DiagnosticIds.GeneralKernelFallback);
    }
}
