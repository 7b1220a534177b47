using System;

namespace ConvGen.Training;

/// <summary>
/// One learnable tensor: its values (the layer's own storage, so an optimizer step changes the layer), the gradient
/// the layer's backward pass adds to, and its PyTorch name and shape.
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a parameter over <paramref name="values"/> with a zero gradient of the same length.</summary>
    /// <exception cref="ArgumentException">The shape's element count differs from the values' length.</exception>
    public Parameter(string name, Memory<float> values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"Parameter '{name}' has shape [{string.Join(", ", shape)}] ({count} values) but {values.Length} values.", nameof(shape));
        }

        Name = name;
        Values = values;
        Shape = shape;
        Gradient = new float[values.Length];
    }

    /// <summary>The name within its layer (<c>weight</c>, <c>bias</c>, <c>depthwise.weight</c>, ...), or with the network prefix.</summary>
    public string Name { get; }

    /// <summary>The values, over the layer's storage.</summary>
    public Memory<float> Values { get; }

    /// <summary>The PyTorch shape: OIHW for convolutions, [Cin, Cout/G, kH, kW] for transposed ones, [out, in] for linear.</summary>
    public int[] Shape { get; }

    /// <summary>The accumulated loss gradient, one per value.</summary>
    public float[] Gradient { get; }

    /// <summary>
    /// Inputs one output unit sees through this tensor, as PyTorch's <c>_calculate_fan_in_and_fan_out</c> computes it
    /// (shape[1] times the kernel taps); for a bias, that of the weight beside it is what initialisation uses.
    /// </summary>
    public int FanIn
    {
        get
        {
            if (Shape.Length < 2)
            {
                return Shape.Length == 1 ? Shape[0] : 1;
            }

            int fan = Shape[1];
            for (int i = 2; i < Shape.Length; i++)
            {
                fan *= Shape[i];
            }

            return fan;
        }
    }

    /// <summary>Returns the same tensor named <paramref name="prefix"/>.<see cref="Name"/>, sharing values and gradient.</summary>
    public Parameter WithPrefix(string prefix) => new(prefix + "." + Name, Values, Shape, Gradient);

    private Parameter(string name, Memory<float> values, int[] shape, float[] gradient)
    {
        Name = name;
        Values = values;
        Shape = shape;
        Gradient = gradient;
    }

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGradient() => Array.Clear(Gradient);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
