using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace ConvGen.Training;

/// <summary>
/// Updates a fixed set of <see cref="Parameter"/>s from their gradients, as a <c>torch.optim</c> optimizer with one
/// parameter group does. Any state (momentum, moment estimates) is allocated when the optimizer is created, so
/// <see cref="Step"/> allocates nothing.
/// </summary>
public abstract class Optimizer
{
    private readonly Parameter[] _parameters;
    private float _learningRate;

    /// <summary>Takes the parameters to update, in a fixed order, and the initial learning rate.</summary>
    /// <exception cref="ArgumentException">
    /// There are no parameters, one is null, or two share a gradient (the same tensor listed twice would be updated twice per step).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    protected Optimizer(IEnumerable<Parameter> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        if (_parameters.Length == 0)
        {
            throw new ArgumentException($"{GetType().Name} got an empty parameter list.", nameof(parameters));
        }

        // By gradient array rather than by instance: WithPrefix makes a second instance over the same tensor.
        var seen = new Dictionary<float[], int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _parameters.Length; i++)
        {
            Parameter? p = _parameters[i];
            if (p is null)
            {
                throw new ArgumentException($"{GetType().Name}: parameter {i} is null.", nameof(parameters));
            }

            if (!seen.TryAdd(p.Gradient, i))
            {
                throw new ArgumentException(
                    $"{GetType().Name}: parameter {i} ({p}) is the same tensor as parameter {seen[p.Gradient]} ({_parameters[seen[p.Gradient]]}).",
                    nameof(parameters));
            }
        }

        Parameters = new ReadOnlyCollection<Parameter>(_parameters);
        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimizer updates, in the order given.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The learning rate the next <see cref="Step"/> uses; a schedule may change it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || float.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The learning rate must be finite and at least 0, got {value}.");
            }

            _learningRate = value;
        }
    }

    /// <summary>How many times <see cref="Step"/> has run.</summary>
    public int Steps { get; private set; }

    /// <summary>Updates every parameter from its current gradient; the gradients are left as they are.</summary>
    public void Step()
    {
        Steps++;
        for (int i = 0; i < _parameters.Length; i++)
        {
            Update(i, _parameters[i]);
        }
    }

    /// <summary>Sets every parameter's gradient to zero, ready for the next backward pass to accumulate into.</summary>
    public void ZeroGradients()
    {
        foreach (Parameter p in _parameters)
        {
            p.ZeroGradient();
        }
    }

    /// <summary>
    /// Updates one parameter. <see cref="Steps"/> already counts the step being taken (1 on the first call), as
    /// PyTorch's per-parameter <c>step</c> does when its update runs.
    /// </summary>
    /// <param name="index">The parameter's position in <see cref="Parameters"/>, for indexing per-parameter state.</param>
    /// <param name="parameter">The parameter to update.</param>
    protected abstract void Update(int index, Parameter parameter);

    /// <summary>Throws unless <paramref name="value"/> is finite and at least 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is negative, infinite or NaN.</exception>
    protected static void RequireNonNegative(float value, string name)
    {
        if (!(value >= 0) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and at least 0, got {value}.");
        }
    }
}
