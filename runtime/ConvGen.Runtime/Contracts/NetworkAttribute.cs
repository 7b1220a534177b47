using System;

namespace ConvGen;

/// <summary>
/// Declares a network: the instance fields of the class, in declaration order, are its layers (any class with a
/// ConvGen layer attribute, <see cref="Flatten"/> or <see cref="GlobalAvgPool"/>), and each field's name is its
/// PyTorch <c>state_dict</c> prefix. The input shape is fixed here, so the generator follows it through every layer:
/// a stack that does not chain is a build error on the offending field, and shapes, parameter and multiply-add counts,
/// the receptive field and the activation memory plan become constants.
/// </summary>
/// <example><code>
/// [Network(InChannels = 1, InH = 28, InW = 28)]
/// public partial class LeNet
/// {
///     private readonly Conv5 conv1;    // [ConvLayer(K = 5, InChannels = 1, OutChannels = 6, Activation = Activation.ReLU)]
///     private readonly Pool2 pool1;    // [MaxPoolLayer(K = 2)]
///     private readonly Flatten flatten;
///     private readonly Fc fc;          // [LinearLayer(InFeatures = 864, OutFeatures = 10)]
/// }
/// </code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Channels of the input.</summary>
    public int InChannels { get; set; }

    /// <summary>Input length of a 1-D network (NCL data); leave InH, InW and InD unset.</summary>
    public int InL { get; set; }

    /// <summary>Input depth of a 3-D network (NCDHW data), with InH and InW.</summary>
    public int InD { get; set; }

    /// <summary>Input height of a 2-D or 3-D network.</summary>
    public int InH { get; set; }

    /// <summary>Input width of a 2-D or 3-D network.</summary>
    public int InW { get; set; }
}
