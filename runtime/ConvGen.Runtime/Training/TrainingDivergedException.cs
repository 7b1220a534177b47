using System;

namespace ConvGen.Training;

/// <summary>
/// A training step produced a NaN or an infinity. The step was not applied: the network keeps the weights it had
/// before it, the last good ones.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for step <paramref name="step"/> (1-based), naming where the values stopped being finite.</summary>
    public TrainingDivergedException(long step, string layer, string what)
        : base($"Training diverged at step {step}: {what} of '{layer}' became NaN or infinite. The step was not applied; the weights are those before it. Lower the learning rate or check the inputs for NaN/Inf.")
    {
        Step = step;
        Layer = layer;
        What = what;
    }

    /// <summary>The step (1-based count of Trainer.Step calls) that diverged.</summary>
    public long Step { get; }

    /// <summary>The layer (field name), parameter or "loss"/"input" where non-finite values appeared first.</summary>
    public string Layer { get; }

    /// <summary>What was non-finite: "the output", "the gradient", "the updated values", ...</summary>
    public string What { get; }
}
