using System.Collections.Generic;
using System.Text;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Helpers;

/// <summary>Hint names of generated files: the type's full name (generic brackets made file-safe) and a suffix per kind.</summary>
internal static class HintNames
{
    public static string For(string ns, IEnumerable<ContainingType> containingTypes, string className, string suffix)
    {
        var name = new StringBuilder();
        if (ns.Length > 0)
        {
            name.Append(ns).Append('.');
        }

        foreach (ContainingType outer in containingTypes)
        {
            name.Append(outer.NameWithTypeParameters).Append('.');
        }

        name.Append(className).Append(suffix);
        return name.Replace('<', '{').Replace('>', '}').Replace(", ", ",").ToString();
    }
}
