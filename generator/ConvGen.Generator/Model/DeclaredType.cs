using ConvGen.Generator.Helpers;

namespace ConvGen.Generator.Model;

/// <summary>
/// The declaration a generated partial must repeat and the facts that decide whether it can: namespace, name, the
/// enclosing types, partial, generic, static or abstract. Primitives only, so models that hold it stay equatable.
/// </summary>
internal sealed record DeclaredType(
    string Namespace,
    string ClassName,
    string Keyword,
    bool IsPartial,
    int TypeParameterCount,
    bool IsStatic,
    bool IsAbstract,
    EquatableArray<ContainingType> ContainingTypes)
{
    /// <summary>The name as written in C# from the global namespace, e.g. "global::Demo.Outer.Conv5".</summary>
    public string FullName
    {
        get
        {
            var name = new System.Text.StringBuilder("global::");
            if (Namespace.Length > 0)
            {
                name.Append(Namespace).Append('.');
            }

            foreach (ContainingType outer in ContainingTypes)
            {
                name.Append(outer.NameWithTypeParameters).Append('.');
            }

            return name.Append(ClassName).ToString();
        }
    }
}
