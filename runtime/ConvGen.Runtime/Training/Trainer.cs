using System;
using System.Collections.Generic;
using ConvGen.Internal;

namespace ConvGen.Training;

/// <summary>The loss a <see cref="Trainer"/> minimises.</summary>
public enum Loss
{
    /// <summary>Softmax cross-entropy over the network's outputs as class logits (PyTorch's CrossEntropyLoss, mean over the batch).</summary>
    SoftmaxCrossEntropy = 0,

    /// <summary>Mean squared error against target outputs (PyTorch's MSELoss, mean over every element).</summary>
    MeanSquaredError = 1,
}

/// <summary>What one training step measured: the mean loss of the batch and, for classification, how many it got right.</summary>
public readonly record struct StepResult(float Loss, int Correct, int Batch);

/// <summary>
/// Runs training steps of a generated network: forward pass keeping activations, loss and its gradient, backward
/// pass, optimizer step. Every buffer is allocated in the constructor for batches up to <c>maxBatch</c>, so a step
/// allocates nothing. A step whose loss, activations, gradients or updated weights are not finite throws
/// <see cref="TrainingDivergedException"/> naming the step and the layer, and leaves the weights as they were before it.
/// </summary>
public sealed class Trainer
{
    private readonly ITrainableNetwork _network;
    private readonly Optimizer _optimizer;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly float[] _activations, _gradients, _output, _outputGradient;
    private readonly float[][] _lastGood;

    /// <summary>Creates a trainer of <paramref name="network"/> for batches of at most <paramref name="maxBatch"/> samples.</summary>
    /// <exception cref="ArgumentException">The optimizer does not hold exactly the network's parameters.</exception>
    public Trainer(ITrainableNetwork network, Optimizer optimizer, int maxBatch, Loss loss = Loss.SoftmaxCrossEntropy)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        _network = network;
        _optimizer = optimizer;
        _parameters = network.Parameters;
        CheckSameParameters(_parameters, optimizer.Parameters);
        MaxBatch = maxBatch;
        LossFunction = loss;
        _activations = new float[checked(maxBatch * network.TrainingSize)];
        _gradients = new float[checked(maxBatch * network.GradientSize)];
        _output = new float[checked(maxBatch * network.OutputSize)];
        _outputGradient = new float[_output.Length];
        _lastGood = new float[_parameters.Count][];
        for (int i = 0; i < _lastGood.Length; i++)
        {
            _lastGood[i] = new float[_parameters[i].Values.Length];
        }
    }

    /// <summary>The largest batch a step takes.</summary>
    public int MaxBatch { get; }

    /// <summary>The loss minimised.</summary>
    public Loss LossFunction { get; }

    /// <summary>Steps run so far (including one that diverged).</summary>
    public long Steps { get; private set; }

    /// <summary>
    /// Whether a step first copies the weights so that an update that overflows them can be undone (default on).
    /// Without it, a non-finite loss, activation or gradient is still caught before the update.
    /// </summary>
    public bool KeepLastGoodWeights { get; set; } = true;

    /// <summary>The outputs of the last step's batch (logits for classification).</summary>
    public ReadOnlySpan<float> LastOutput => _output;

    /// <summary>One step on a batch of classification samples: <paramref name="labels"/> holds one class index per sample.</summary>
    /// <exception cref="ArgumentException">The spans do not hold <paramref name="batch"/> samples, or a label is out of range.</exception>
    /// <exception cref="TrainingDivergedException">The step produced a NaN or an infinity; it was not applied.</exception>
    public StepResult Step(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batch)
    {
        if (LossFunction != Loss.SoftmaxCrossEntropy)
        {
            throw new InvalidOperationException($"This trainer minimises {LossFunction}; pass float targets, not labels.");
        }

        CheckBatch(inputs.Length, batch);
        if (labels.Length != batch)
        {
            throw new ArgumentException($"A batch of {batch} needs {batch} labels, got {labels.Length}.", nameof(labels));
        }

        int classes = _network.OutputSize;
        Span<float> output = _output.AsSpan(0, batch * classes);
        Forward(inputs, batch, output);
        float loss = Losses.SoftmaxCrossEntropy(output, labels, classes, _outputGradient.AsSpan(0, output.Length));
        int correct = Losses.CountCorrect(output, labels, classes);
        Finish(inputs, batch, loss);
        return new StepResult(loss, correct, batch);
    }

    /// <summary>One step on a batch of regression samples: <paramref name="targets"/> holds the wanted outputs.</summary>
    /// <exception cref="ArgumentException">The spans do not hold <paramref name="batch"/> samples.</exception>
    /// <exception cref="TrainingDivergedException">The step produced a NaN or an infinity; it was not applied.</exception>
    public StepResult Step(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batch)
    {
        if (LossFunction != Loss.MeanSquaredError)
        {
            throw new InvalidOperationException($"This trainer minimises {LossFunction}; pass int labels, not float targets.");
        }

        CheckBatch(inputs.Length, batch);
        Span<float> output = _output.AsSpan(0, batch * _network.OutputSize);
        if (targets.Length != output.Length)
        {
            throw new ArgumentException($"A batch of {batch} needs {output.Length} targets ({batch} x {_network.OutputSize}), got {targets.Length}.", nameof(targets));
        }

        Forward(inputs, batch, output);
        float loss = Losses.MeanSquaredError(output, targets, _outputGradient.AsSpan(0, output.Length));
        Finish(inputs, batch, loss);
        return new StepResult(loss, 0, batch);
    }

    private void CheckBatch(int inputLength, int batch)
    {
        if (batch <= 0 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The batch must be between 1 and the trainer's MaxBatch {MaxBatch}.");
        }

        if (inputLength != batch * _network.InputSize)
        {
            throw new ArgumentException($"A batch of {batch} needs {batch} x {_network.InputSize} = {batch * _network.InputSize} input floats, got {inputLength}.", "inputs");
        }
    }

    private void Forward(ReadOnlySpan<float> inputs, int batch, Span<float> output)
    {
        Steps++;
        if (!TrainingSupport.AllFinite(inputs))
        {
            throw new TrainingDivergedException(Steps, "input", "a value");
        }

        _network.ForwardTraining(inputs, output, batch, _activations.AsSpan(0, batch * _network.TrainingSize));
    }

    private void Finish(ReadOnlySpan<float> inputs, int batch, float loss)
    {
        int outputs = batch * _network.OutputSize;
        ReadOnlySpan<float> activations = _activations.AsSpan(0, batch * _network.TrainingSize);
        if (!float.IsFinite(loss))
        {
            string layer = _network.FindNonFinite(activations, _output.AsSpan(0, outputs), batch) ?? "loss";
            throw new TrainingDivergedException(Steps, layer, layer == "loss" ? "the value" : "the output");
        }

        _optimizer.ZeroGradients();
        _network.Backward(inputs, _output.AsSpan(0, outputs), _outputGradient.AsSpan(0, outputs), batch, activations,
            _gradients.AsSpan(0, batch * _network.GradientSize), default);
        for (int i = 0; i < _parameters.Count; i++)
        {
            if (!TrainingSupport.AllFinite(_parameters[i].Gradient))
            {
                throw new TrainingDivergedException(Steps, _parameters[i].Name, "the gradient");
            }
        }

        if (KeepLastGoodWeights)
        {
            for (int i = 0; i < _parameters.Count; i++)
            {
                _parameters[i].Values.Span.CopyTo(_lastGood[i]);
            }
        }

        _optimizer.Step();
        if (KeepLastGoodWeights)
        {
            for (int i = 0; i < _parameters.Count; i++)
            {
                if (!TrainingSupport.AllFinite(_parameters[i].Values.Span))
                {
                    for (int j = 0; j < _parameters.Count; j++)
                    {
                        _lastGood[j].CopyTo(_parameters[j].Values.Span);
                    }

                    throw new TrainingDivergedException(Steps, _parameters[i].Name, "the updated values");
                }
            }
        }
    }

    private static void CheckSameParameters(IReadOnlyList<Parameter> network, IReadOnlyList<Parameter> optimizer)
    {
        var held = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        foreach (Parameter p in optimizer)
        {
            held.Add(p.Gradient);
        }

        foreach (Parameter p in network)
        {
            if (!held.Contains(p.Gradient))
            {
                throw new ArgumentException($"The optimizer does not hold the network's parameter {p}; create it from network.Parameters.", "optimizer");
            }
        }
    }
}
