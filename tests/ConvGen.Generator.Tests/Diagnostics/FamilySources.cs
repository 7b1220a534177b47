namespace ConvGen.Generator.Tests.Diagnostics;

/// <summary>Test sources for the layer attributes other than [ConvLayer].</summary>
internal static class FamilySources
{
    /// <summary>A documented public partial class <c>Stem</c> in namespace App with <c>[attribute(arguments)]</c> (markup allowed).</summary>
    public static string Layer(string attribute, string arguments) => $$"""
        using ConvGen;

        namespace App;

        /// <summary>A layer.</summary>
        [{{attribute}}({{arguments}})]
        public partial class Stem
        {
        }
        """;
}
