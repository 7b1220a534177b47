using ConvGen.Generator.Model;

namespace ConvGen.Generator.Networks;

/// <summary>A <c>[MaxPoolLayer]</c> or <c>[AvgPoolLayer]</c> class as written: the window, stride and padding arguments.</summary>
internal sealed record PoolSpec(DeclaredType Type, bool IsMax, IntArgument K, IntArgument S, IntArgument P, bool CountIncludePad, bool IsWellFormed)
{
    public string AttributeName => IsMax ? "MaxPoolLayer" : "AvgPoolLayer";

    /// <summary>The stride: S, or K when S is 0 or not written (PyTorch's default).</summary>
    public int Stride => S.IsSet && S.Value > 0 ? S.Value : K.Value;

    public int Padding => P.Or(0);
}

/// <summary>A <c>[LinearLayer]</c> class as written.</summary>
internal sealed record LinearSpec(DeclaredType Type, IntArgument InFeatures, IntArgument OutFeatures, bool HasBias, int Activation, float NegativeSlope, bool IsWellFormed)
{
    public long ParameterCount => (long)InFeatures.Value * OutFeatures.Value + (HasBias ? OutFeatures.Value : 0);
}
