using System.Collections.Immutable;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static ConvGen.Generator.Tests.Diagnostics.Sources;

namespace ConvGen.Generator.Tests.Diagnostics;

/// <summary>CONV0001-CONV0015: misuse of the attribute or of the class it is on.</summary>
public sealed class UsageDiagnosticsTests
{
    [Fact]
    public void CONV0001_non_partial_class_is_reported_on_its_name()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            [ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32)]
            public class {|CONV0001:Stem|}
            {
            }
            """);
        Assert.Equal("Layer class 'Stem' must be declared partial so that ConvGen can add its kernel",
            DiagnosticAssert.Message(d, DiagnosticIds.NotPartial));
    }

    [Fact]
    public void CONV0002_non_partial_containing_type_is_reported_on_the_layer_name()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>A model.</summary>
            public class Model<T>
            {
                /// <summary>A layer.</summary>
                [ConvLayer(K = 3, P = 1, InChannels = 3, OutChannels = 8)]
                public partial class {|CONV0002:Stem|}
                {
                }
            }
            """);
        Assert.Equal("Type 'Model<T>', which contains layer class 'Stem', must be declared partial so that ConvGen can extend 'Stem'",
            DiagnosticAssert.Message(d, DiagnosticIds.ContainingTypeNotPartial));
    }

    [Fact]
    public void CONV0002_is_reported_once_per_non_partial_containing_type()
    {
        DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>Outer.</summary>
            public class Outer
            {
                /// <summary>Middle.</summary>
                public partial class Middle
                {
                    /// <summary>Inner.</summary>
                    public struct Inner
                    {
                        /// <summary>A layer.</summary>
                        [ConvLayer(K = 3)]
                        public partial class {|CONV0002:{|CONV0002:Stem|}|}
                        {
                        }
                    }
                }
            }
            """);
    }

    [Fact]
    public void CONV0003_generic_layer_class_is_reported_on_its_name()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            /// <typeparam name="T">Unused.</typeparam>
            [ConvLayer(K = 3, P = 1, InChannels = 3, OutChannels = 8)]
            public partial class {|CONV0003:Stem|}<T>
            {
            }
            """);
        string message = DiagnosticAssert.Message(d, DiagnosticIds.GenericLayer);
        Assert.Contains("'Stem'", message, System.StringComparison.Ordinal);
        Assert.Contains("type parameter(s); a [ConvLayer] class cannot be generic", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void CONV0004_zero_kernel_size_is_reported_on_K()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("{|CONV0004:K = 0|}, InChannels = 3, OutChannels = 8"));
        Assert.Equal("Kernel size K = 0 for layer 'Stem': a kernel size must be at least 1",
            DiagnosticAssert.Message(d, DiagnosticIds.KernelSizeInvalid));
    }

    [Fact]
    public void CONV0004_negative_per_axis_kernel_size_is_reported_on_that_axis()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("{|CONV0004:Kh = -1|}, Kw = 3"));
        Assert.Equal("Kernel size Kh = -1 for layer 'Stem': a kernel size must be at least 1",
            DiagnosticAssert.Message(d, DiagnosticIds.KernelSizeInvalid));
    }

    [Fact]
    public void CONV0005_K_disagreeing_with_Kw_is_reported_on_Kw()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, {|CONV0005:Kw = 5|}, P = 1"));
        Assert.Equal("Kernel size conflict for layer 'Stem': K = 3 but Kw = 5; write K alone, or Kh and Kw, or make them agree",
            DiagnosticAssert.Message(d, DiagnosticIds.KernelSizeConflict));
    }

    [Fact]
    public void CONV0005_K_agreeing_with_Kh_and_Kw_is_fine()
    {
        DiagnosticAssert.Verify(Layer("K = 3, Kh = 3, Kw = 3, P = 1"));
    }

    [Fact]
    public void CONV0006_missing_width_is_reported_on_the_written_Kh()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("{|CONV0006:Kh = 3|}, P = 1"));
        Assert.Equal("Layer 'Stem' has no kernel width (Kw): write K, or both Kh and Kw",
            DiagnosticAssert.Message(d, DiagnosticIds.KernelSizeMissing));
    }

    [Fact]
    public void CONV0006_no_kernel_at_all_is_reported_twice_on_the_attribute()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            [{|CONV0006:{|CONV0006:ConvLayer(P = 1, InChannels = 3, OutChannels = 8)|}|}]
            public partial class Stem
            {
            }
            """);
        Assert.Contains(d, x => x.GetMessage(System.Globalization.CultureInfo.InvariantCulture) == "Layer 'Stem' has no kernel height (Kh): write K, or both Kh and Kw");
        Assert.Contains(d, x => x.GetMessage(System.Globalization.CultureInfo.InvariantCulture) == "Layer 'Stem' has no kernel width (Kw): write K, or both Kh and Kw");
    }

    [Fact]
    public void CONV0006_bare_attribute_is_reported_on_the_attribute()
    {
        DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            [{|CONV0006:{|CONV0006:ConvLayer|}|}]
            public partial class Stem
            {
            }
            """);
    }

    [Fact]
    public void CONV0007_zero_stride_is_reported_on_S()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, P = 1, {|CONV0007:S = 0|}, InChannels = 3, OutChannels = 32"));
        Assert.Equal("Stride S = 0 for layer 'Stem': stride must be at least 1",
            DiagnosticAssert.Message(d, DiagnosticIds.StrideInvalid));
    }

    [Fact]
    public void CONV0007_negative_per_axis_stride_is_reported_on_that_axis()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, S = 2, {|CONV0007:Sh = -2|}"));
        Assert.Equal("Stride Sh = -2 for layer 'Stem': stride must be at least 1",
            DiagnosticAssert.Message(d, DiagnosticIds.StrideInvalid));
    }

    [Fact]
    public void CONV0008_zero_dilation_is_reported_on_D()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, P = 1, {|CONV0008:D = 0|}"));
        Assert.Equal("Dilation D = 0 for layer 'Stem': dilation must be at least 1",
            DiagnosticAssert.Message(d, DiagnosticIds.DilationInvalid));
    }

    [Fact]
    public void CONV0008_negative_per_axis_dilation_is_reported_on_that_axis()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, Dh = 2, {|CONV0008:Dw = -3|}"));
        Assert.Equal("Dilation Dw = -3 for layer 'Stem': dilation must be at least 1",
            DiagnosticAssert.Message(d, DiagnosticIds.DilationInvalid));
    }

    [Fact]
    public void CONV0009_negative_padding_is_reported_on_P()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, {|CONV0009:P = -1|}, InChannels = 3, OutChannels = 8"));
        Assert.Equal("Padding P = -1 for layer 'Stem': padding must not be negative",
            DiagnosticAssert.Message(d, DiagnosticIds.PaddingNegative));
    }

    [Fact]
    public void CONV0009_negative_per_axis_padding_is_reported_on_that_axis()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, Ph = 1, {|CONV0009:Pw = -2|}"));
        Assert.Equal("Padding Pw = -2 for layer 'Stem': padding must not be negative",
            DiagnosticAssert.Message(d, DiagnosticIds.PaddingNegative));
    }

    [Fact]
    public void CONV0010_zero_groups_is_reported_on_Groups()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, P = 1, {|CONV0010:Groups = 0|}, InChannels = 8, OutChannels = 8"));
        Assert.Equal("Groups = 0 for layer 'Stem': the number of groups must be at least 1",
            DiagnosticAssert.Message(d, DiagnosticIds.GroupsInvalid));
    }

    [Fact]
    public void CONV0011_groups_not_dividing_InChannels_shows_the_remainder()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, P = 1, {|CONV0011:Groups = 3|}, InChannels = 8, OutChannels = 9"));
        string message = DiagnosticAssert.Message(d, DiagnosticIds.GroupsNotDividing);
        Assert.Equal("Groups = 3 for layer 'Stem' does not divide InChannels = 8 (8 mod 3 = 2)", message);
        Assert.Contains("8 mod 3 = 2", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void CONV0011_is_reported_once_per_channel_count_that_groups_do_not_divide()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, {|CONV0011:{|CONV0011:Groups = 4|}|}, InChannels = 6, OutChannels = 10"));
        Assert.Contains(d, x => x.GetMessage(System.Globalization.CultureInfo.InvariantCulture).EndsWith("does not divide InChannels = 6 (6 mod 4 = 2)", System.StringComparison.Ordinal));
        Assert.Contains(d, x => x.GetMessage(System.Globalization.CultureInfo.InvariantCulture).EndsWith("does not divide OutChannels = 10 (10 mod 4 = 2)", System.StringComparison.Ordinal));
    }

    [Fact]
    public void CONV0011_depthwise_layer_is_fine()
    {
        DiagnosticAssert.Verify(Layer("K = 3, P = 1, Groups = 32, InChannels = 32, OutChannels = 64"));
    }

    [Fact]
    public void CONV0012_zero_channel_count_is_reported_on_it()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, {|CONV0012:InChannels = 0|}, OutChannels = 8"));
        Assert.Equal("InChannels = 0 for layer 'Stem': a channel count must be at least 1",
            DiagnosticAssert.Message(d, DiagnosticIds.ChannelsInvalid));
    }

    [Fact]
    public void CONV0012_negative_OutChannels_is_reported_on_it()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, InChannels = 3, {|CONV0012:OutChannels = -8|}"));
        Assert.Equal("OutChannels = -8 for layer 'Stem': a channel count must be at least 1",
            DiagnosticAssert.Message(d, DiagnosticIds.ChannelsInvalid));
    }

    [Fact]
    public void CONV0013_InChannels_without_OutChannels_is_reported_on_InChannels()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, P = 1, {|CONV0013:InChannels = 3|}"));
        Assert.Equal("Layer 'Stem' gives InChannels = 3 without OutChannels: give both to fix the channels at build time, or neither to pass them to the constructor",
            DiagnosticAssert.Message(d, DiagnosticIds.ChannelsHalfSpecified));
    }

    [Fact]
    public void CONV0013_OutChannels_without_InChannels_is_reported_on_OutChannels()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, {|CONV0013:OutChannels = 16|}"));
        Assert.StartsWith("Layer 'Stem' gives OutChannels = 16 without InChannels:", DiagnosticAssert.Message(d, DiagnosticIds.ChannelsHalfSpecified), System.StringComparison.Ordinal);
    }

    [Fact]
    public void CONV0014_zero_static_height_is_reported_on_InH()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, P = 1, {|CONV0014:InH = 0|}, InW = 32"));
        Assert.Equal("InH = 0 for layer 'Stem': a static input size must be at least 1 (omit it to accept any size)",
            DiagnosticAssert.Message(d, DiagnosticIds.InputSizeInvalid));
    }

    [Fact]
    public void CONV0014_negative_static_width_is_reported_on_InW()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify(Layer("K = 3, P = 1, {|CONV0014:InW = -5|}"));
        Assert.Equal("InW = -5 for layer 'Stem': a static input size must be at least 1 (omit it to accept any size)",
            DiagnosticAssert.Message(d, DiagnosticIds.InputSizeInvalid));
    }

    [Fact]
    public void CONV0015_static_layer_class_is_reported_on_its_name()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            [ConvLayer(K = 3, P = 1, InChannels = 3, OutChannels = 8)]
            public static partial class {|CONV0015:Stem|}
            {
            }
            """);
        Assert.Equal("Layer class 'Stem' is static; ConvGen generates a constructor and instance members, so the class must be a concrete instance class",
            DiagnosticAssert.Message(d, DiagnosticIds.StaticOrAbstractLayer));
    }

    [Fact]
    public void CONV0015_abstract_layer_class_is_reported_on_its_name()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            [ConvLayer(K = 3, P = 1, InChannels = 3, OutChannels = 8)]
            public abstract partial class {|CONV0015:Stem|}
            {
            }
            """);
        Assert.StartsWith("Layer class 'Stem' is abstract;", DiagnosticAssert.Message(d, DiagnosticIds.StaticOrAbstractLayer), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Class_problems_go_on_the_declaration_that_carries_the_attribute()
    {
        DiagnosticAssert.Verify("""
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            public partial class Stem
            {
            }

            /// <summary>More of the layer.</summary>
            [ConvLayer(K = 3, P = 1, InChannels = 3, OutChannels = 8)]
            public class {|CONV0001:Stem|}
            {
            }
            """);
    }

    [Fact]
    public void Several_problems_are_all_reported_each_on_its_own_argument()
    {
        DiagnosticAssert.Verify(Layer("K = 3, {|CONV0009:P = -1|}, {|CONV0007:S = 0|}, {|CONV0008:D = 0|}, {|CONV0010:Groups = 0|}, {|CONV0014:InH = 0|}"));
    }
}
