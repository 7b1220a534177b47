using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// One Forward call's buffers, as addresses pinned by <see cref="KernelThreads.Run"/> for as long as worker threads use
/// them. Spans cannot cross threads; this struct can, and it turns back into spans on the other side.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct KernelCall
{
    private readonly nint _input;
    private readonly nint _output;
    private readonly int _inputLength;
    private readonly int _outputLength;

    internal KernelCall(nint input, int inputLength, TensorShape inputShape, nint output, int outputLength, TensorShape outputShape)
    {
        _input = input;
        _inputLength = inputLength;
        _output = output;
        _outputLength = outputLength;
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    /// <summary>The input's shape, already checked.</summary>
    public TensorShape InputShape { get; }

    /// <summary>The output's shape.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>The pinned input.</summary>
    public unsafe ReadOnlySpan<float> Input => new((void*)_input, _inputLength);

    /// <summary>The pinned output; parts write disjoint elements of it.</summary>
    public unsafe Span<float> Output => new((void*)_output, _outputLength);
}

/// <summary>A kernel that can compute one of several disjoint parts of a Forward call.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IParallelKernel
{
    /// <summary>Computes part <paramref name="part"/> of <paramref name="parts"/>; parts write disjoint outputs.</summary>
    void RunPart(in KernelCall call, int part, int parts);
}
