using System.Collections.Generic;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emitting;

/// <summary>Opens and closes the namespace and enclosing partial types around a generated class.</summary>
internal static class DeclarationWriter
{
    /// <summary>Writes the namespace and enclosing types; returns how many blocks <see cref="Close"/> must end.</summary>
    public static int Open(CodeWriter w, string ns, IEnumerable<ContainingType> containingTypes)
    {
        int depth = 0;
        if (ns.Length > 0)
        {
            w.Line("namespace " + ns);
            w.Line("{");
            w.Indent();
            depth++;
        }

        foreach (ContainingType outer in containingTypes)
        {
            w.Line($"partial {outer.Keyword} {outer.NameWithTypeParameters}");
            w.Line("{");
            w.Indent();
            depth++;
        }

        return depth;
    }

    public static void Close(CodeWriter w, int depth)
    {
        for (; depth > 0; depth--)
        {
            w.Outdent();
            w.Line("}");
        }
    }
}
