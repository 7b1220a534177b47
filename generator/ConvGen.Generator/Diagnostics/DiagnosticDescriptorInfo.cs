using System.Globalization;
using System.Linq;
using ConvGen.Generator.Validation;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Diagnostics;

/// <summary>A problem's severity and its message as the compiler would print it, for quoting inside another diagnostic.</summary>
internal readonly record struct DiagnosticDescriptorInfo(bool IsError, string Message)
{
    public static DiagnosticDescriptorInfo Of(Problem problem)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.Get(problem.Id);
        string message = string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture),
            problem.MessageArgs.Cast<object>().ToArray());
        return new DiagnosticDescriptorInfo(descriptor.DefaultSeverity == DiagnosticSeverity.Error, message);
    }
}
