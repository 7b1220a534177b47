using ConvGen.Generator.Helpers;

namespace ConvGen.Generator.Validation;

/// <summary>
/// One thing wrong with a layer, as data: the diagnostic id, where it belongs, and the message arguments.
/// </summary>
/// <param name="Id">A <see cref="Diagnostics.DiagnosticIds"/> value.</param>
/// <param name="Arguments">
/// Attribute arguments to report on, best first; the first one written in the source wins. Empty, or none written,
/// means the attribute itself; <see cref="OnClassName"/> means the class identifier.
/// </param>
/// <param name="MessageArgs">Values for the descriptor's message format, already formatted.</param>
internal sealed record Problem(string Id, EquatableArray<string> Arguments, EquatableArray<string> MessageArgs)
{
    public const string OnClassName = "<class>";
}
