namespace ConvGen.Generator.Model;

// Generator-side mirrors of the runtime's ConvKind, PaddingRule, PaddingMode and Activation (the generator does not
// reference the runtime assembly). The values are the runtime's, so an attribute argument's int maps 1:1.

/// <summary>What a layer computes (runtime <c>ConvKind</c>).</summary>
internal enum LayerKind
{
    Convolution = 0,
    Transposed = 1,
    Separable = 2,
}

/// <summary>How the pads are decided (runtime <c>PaddingRule</c>).</summary>
internal enum LayerPaddingRule
{
    Explicit = 0,
    Same = 1,
    SameLower = 2,
    Valid = 3,
}

/// <summary>What the padding is filled with (runtime <c>PaddingMode</c>).</summary>
internal enum LayerPaddingMode
{
    Zeros = 0,
    Reflect = 1,
    Replicate = 2,
    Circular = 3,
}

/// <summary>The function applied to every output (runtime <c>Activation</c>).</summary>
internal enum LayerActivation
{
    None = 0,
    ReLU = 1,
    ReLU6 = 2,
    LeakyReLU = 3,
    Sigmoid = 4,
    Tanh = 5,
    SiLU = 6,
}
