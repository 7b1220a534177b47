using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Validation;

/// <summary>
/// Whether the generator can extend a layer class at all: partial (with every enclosing type), not generic, not
/// static or abstract. Shared by every attribute that turns a class into a layer.
/// </summary>
internal static class DeclarationChecks
{
    public static void Check(DeclaredType type, List<Problem> problems)
    {
        if (!type.IsPartial)
        {
            problems.Add(OnClass(DiagnosticIds.NotPartial, type.ClassName));
        }

        foreach (ContainingType outer in type.ContainingTypes)
        {
            if (!outer.IsPartial)
            {
                problems.Add(OnClass(DiagnosticIds.ContainingTypeNotPartial, outer.NameWithTypeParameters, type.ClassName));
            }
        }

        if (type.TypeParameterCount > 0)
        {
            problems.Add(OnClass(DiagnosticIds.GenericLayer, type.ClassName, type.TypeParameterCount.ToString(CultureInfo.InvariantCulture)));
        }

        if (type.IsStatic || type.IsAbstract)
        {
            problems.Add(OnClass(DiagnosticIds.StaticOrAbstractLayer, type.ClassName, type.IsStatic ? "static" : "abstract"));
        }
    }

    private static Problem OnClass(string id, params string[] messageArgs)
        => new(id, new EquatableArray<string>(new[] { Problem.OnClassName }), new EquatableArray<string>(messageArgs));
}
