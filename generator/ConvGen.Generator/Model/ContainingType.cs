namespace ConvGen.Generator.Model;

/// <summary>A type enclosing the layer class, re-declared around the generated partial (e.g. "partial class Outer&lt;T&gt;").</summary>
/// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
/// <param name="NameWithTypeParameters">The type's name with its type parameter list, if any.</param>
/// <param name="IsPartial">Whether every declaration of the type is partial; the generated code cannot extend it otherwise.</param>
internal sealed record ContainingType(string Keyword, string NameWithTypeParameters, bool IsPartial);
