using System;
using System.Collections.Generic;
using System.ComponentModel;
using ConvGen.Training;

namespace ConvGen.Internal;

/// <summary>
/// One Backward call's buffers, pinned by <see cref="BackwardThreads.Run"/> while worker threads use them, and the
/// gradient targets of each part. Parts take disjoint ranges of images; their parameter gradients go to private
/// buffers (part 0 to the parameters themselves) that the caller adds up after the parts are joined, so no two
/// threads ever write the same element.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct BackwardCall
{
    private readonly nint _input, _output, _outputGradient, _inputGradient;
    private readonly int _inputLength, _outputLength, _inputGradientLength;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly float[]? _partGradients;
    private readonly int _partStride;

    internal BackwardCall(nint input, int inputLength, TensorShape inputShape, nint output, int outputLength, TensorShape outputShape,
        nint outputGradient, nint inputGradient, int inputGradientLength, IReadOnlyList<Parameter> parameters, float[]? partGradients, int partStride)
    {
        _input = input;
        _inputLength = inputLength;
        _output = output;
        _outputLength = outputLength;
        _outputGradient = outputGradient;
        _inputGradient = inputGradient;
        _inputGradientLength = inputGradientLength;
        InputShape = inputShape;
        OutputShape = outputShape;
        _parameters = parameters;
        _partGradients = partGradients;
        _partStride = partStride;
    }

    /// <summary>The whole batch's input shape, already checked.</summary>
    public TensorShape InputShape { get; }

    /// <summary>The whole batch's output shape.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>The first image of part <paramref name="part"/> of <paramref name="parts"/> (the end of the last part is N).</summary>
    public int FirstImage(int part, int parts) => (int)((long)InputShape.N * part / parts);

    /// <summary>Images [<paramref name="first"/>, <paramref name="end"/>) of the input.</summary>
    public unsafe ReadOnlySpan<float> Input(int first, int end) => Images(_input, _inputLength, first, end);

    /// <summary>Images [<paramref name="first"/>, <paramref name="end"/>) of the forward pass's output.</summary>
    public unsafe ReadOnlySpan<float> Output(int first, int end) => Images(_output, _outputLength, first, end);

    /// <summary>Images [<paramref name="first"/>, <paramref name="end"/>) of the output gradient (as long as the output).</summary>
    public unsafe ReadOnlySpan<float> OutputGradient(int first, int end) => Images(_outputGradient, _outputLength, first, end);

    /// <summary>Images [<paramref name="first"/>, <paramref name="end"/>) of the input gradient; empty when the caller skips it.</summary>
    public unsafe Span<float> InputGradient(int first, int end)
        => _inputGradientLength == 0 ? Span<float>.Empty : Images(_inputGradient, _inputGradientLength, first, end);

    /// <summary>Where part <paramref name="part"/> accumulates the gradient of parameter <paramref name="index"/>.</summary>
    public Span<float> Gradient(int index, int part)
    {
        if (part == 0)
        {
            return _parameters[index].Gradient;
        }

        int offset = (part - 1) * _partStride;
        for (int i = 0; i < index; i++)
        {
            offset += _parameters[i].Gradient.Length;
        }

        return _partGradients.AsSpan(offset, _parameters[index].Gradient.Length);
    }

    private unsafe Span<float> Images(nint start, int length, int first, int end)
    {
        if (InputShape.N == 0)
        {
            return Span<float>.Empty;
        }

        int image = length / InputShape.N;
        return new Span<float>((float*)start + (long)first * image, (end - first) * image);
    }
}

/// <summary>A layer whose backward pass can run on a range of images of a batch (<see cref="BackwardThreads"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IParallelBackward
{
    /// <summary>
    /// The backward pass of images [FirstImage(part), FirstImage(part + 1)): their input gradient, and the parameter
    /// gradients they contribute, accumulated into <see cref="BackwardCall.Gradient"/> of this part.
    /// </summary>
    void BackwardPart(in BackwardCall call, int part, int parts);
}
