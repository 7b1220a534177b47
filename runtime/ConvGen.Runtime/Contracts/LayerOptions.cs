namespace ConvGen;

/// <summary>The operation a layer computes.</summary>
public enum ConvKind
{
    /// <summary>Convolution (cross-correlation), as PyTorch's Conv1d/2d/3d and ONNX Conv.</summary>
    Convolution = 0,

    /// <summary>Transposed convolution (learned upsampling), as PyTorch's ConvTranspose1d/2d/3d and ONNX ConvTranspose.</summary>
    Transposed = 1,

    /// <summary>Depthwise K×K convolution (with a channel multiplier) followed by a pointwise 1×1 convolution, as Keras' SeparableConv.</summary>
    Separable = 2,
}

/// <summary>How the padding of each axis is decided.</summary>
public enum PaddingRule
{
    /// <summary>The pads written on the layer (P, Ph, PadTop...), zero when none are written.</summary>
    Explicit = 0,

    /// <summary>
    /// Output size ceil(input / stride) (input · stride for transposed layers); when the total padding is odd the extra
    /// pixel goes at the end, as ONNX SAME_UPPER, TensorFlow and Keras 'same'.
    /// </summary>
    Same = 1,

    /// <summary>As <see cref="Same"/>, with the extra pixel at the beginning (ONNX SAME_LOWER).</summary>
    SameLower = 2,

    /// <summary>No padding: only windows that lie wholly inside the input (ONNX VALID, Keras 'valid').</summary>
    Valid = 3,
}

/// <summary>What the padding is filled with (PyTorch's <c>padding_mode</c>).</summary>
public enum PaddingMode
{
    /// <summary>Zeros.</summary>
    Zeros = 0,

    /// <summary>The input mirrored at its edge, without repeating the edge (d c b | a b c d | c b a); needs padding &lt; input size.</summary>
    Reflect = 1,

    /// <summary>The edge value repeated (a a | a b c d | d d).</summary>
    Replicate = 2,

    /// <summary>The input wrapped around (c d | a b c d | a b); needs padding ≤ input size.</summary>
    Circular = 3,
}

/// <summary>The function applied to every output after the bias, inside the kernel.</summary>
public enum Activation
{
    /// <summary>None: the output is the convolution plus bias.</summary>
    None = 0,

    /// <summary>max(x, 0).</summary>
    ReLU = 1,

    /// <summary>min(max(x, 0), 6).</summary>
    ReLU6 = 2,

    /// <summary>x when x ≥ 0, otherwise NegativeSlope·x (PyTorch's default slope 0.01).</summary>
    LeakyReLU = 3,

    /// <summary>1 / (1 + e^−x).</summary>
    Sigmoid = 4,

    /// <summary>tanh(x).</summary>
    Tanh = 5,

    /// <summary>x · sigmoid(x), also called swish.</summary>
    SiLU = 6,
}
