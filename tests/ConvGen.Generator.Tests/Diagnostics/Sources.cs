namespace ConvGen.Generator.Tests.Diagnostics;

/// <summary>Test sources shared by the diagnostic tests.</summary>
internal static class Sources
{
    /// <summary>The flagship layer's arguments: a 3x3 stride-2 stem on RGB input.</summary>
    public const string FlagshipArguments = "K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32";

    /// <summary>A documented public partial layer class <c>Stem</c> in namespace App with the given attribute arguments (markup allowed).</summary>
    public static string Layer(string arguments) => $$"""
        using ConvGen;

        namespace App;

        /// <summary>A layer.</summary>
        [ConvLayer({{arguments}})]
        public partial class Stem
        {
        }
        """;
}
