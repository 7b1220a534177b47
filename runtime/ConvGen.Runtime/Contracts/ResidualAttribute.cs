using System;

namespace ConvGen;

/// <summary>
/// A skip connection in a <c>[Network]</c>: adds the output of an earlier layer field to this field's output, then
/// applies <see cref="Activation"/>. PyTorch's ResNet block <c>out = F.relu(self.conv2(x) + identity)</c> is
/// <c>[Residual(nameof(stem), Activation = Activation.ReLU)] private readonly Conv3x3 conv2;</c> with no activation on
/// the convolution itself. The shapes must match (a build error otherwise), and the memory plan keeps the earlier
/// output alive until the add.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class ResidualAttribute : Attribute
{
    /// <summary>Adds the output of the field named <paramref name="from"/> (write <c>nameof(field)</c>).</summary>
    public ResidualAttribute(string from) => From = from;

    /// <summary>The earlier layer field whose output is added.</summary>
    public string From { get; }

    /// <summary>The function applied after the add (default <see cref="Activation.None"/>).</summary>
    public Activation Activation { get; set; }

    /// <summary>Slope for negative inputs of <see cref="Activation.LeakyReLU"/> (default 0.01, as PyTorch).</summary>
    public float NegativeSlope { get; set; } = 0.01f;
}
