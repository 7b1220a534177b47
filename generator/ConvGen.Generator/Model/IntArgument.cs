using System;

namespace ConvGen.Generator.Model;

/// <summary>
/// One named attribute argument as the user wrote it: whether it was written at all (an omitted argument takes its
/// default, a written one is validated even if it equals the default's sentinel) and its value.
/// </summary>
internal readonly record struct IntArgument(bool IsSet, int Value)
{
    public static IntArgument Unset => default;

    public int Or(int fallback) => IsSet ? Value : fallback;

    /// <summary>The per-axis form when written, else the square shorthand when written, else <paramref name="fallback"/>.</summary>
    public static int Resolve(IntArgument axis, IntArgument square, int fallback)
        => axis.IsSet ? axis.Value : square.IsSet ? square.Value : fallback;
}
