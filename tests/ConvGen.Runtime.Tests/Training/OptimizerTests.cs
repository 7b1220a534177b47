using System;
using ConvGen.Training;

namespace ConvGen.Runtime.Tests.Training;

/// <summary>
/// What <see cref="Optimizer"/>, <see cref="Sgd"/> and <see cref="Adam"/> promise beyond the PyTorch trajectories of
/// <see cref="TorchTrainingTests"/>: no allocation per step, results independent of the vector width, only the
/// parameter's own storage written, gradients left alone, and arguments checked.
/// </summary>
public sealed class OptimizerTests
{
    private static Parameter Filled(string name, int length, float start, float gradientStart)
    {
        var values = new float[length];
        var parameter = new Parameter(name, values, length);
        for (int i = 0; i < length; i++)
        {
            values[i] = start + 0.01f * i;
            parameter.Gradient[i] = gradientStart - 0.003f * i;
        }

        return parameter;
    }

    public static TheoryData<string> Kinds => new() { "sgd", "sgd_nesterov_decay", "sgd_dampening", "adam", "adam_decay" };

    private static Optimizer Create(string kind, params Parameter[] parameters) => kind switch
    {
        "sgd" => new Sgd(parameters, 0.1f),
        "sgd_nesterov_decay" => new Sgd(parameters, 0.1f, momentum: 0.9f, weightDecay: 0.01f, nesterov: true),
        "sgd_dampening" => new Sgd(parameters, 0.1f, momentum: 0.9f, dampening: 0.3f),
        "adam" => new Adam(parameters),
        "adam_decay" => new Adam(parameters, 0.01f, weightDecay: 0.1f),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Step_allocates_nothing(string kind)
    {
        Optimizer optimizer = Create(kind, Filled("a.weight", 1031, -1f, 0.5f), Filled("a.bias", 7, 0.5f, -0.2f));
        Assert.Equal(0, SteadyState.AllocatedBytes(optimizer.Step, calls: 10));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_element_gets_the_same_bits_whether_it_falls_in_a_vector_or_in_the_tail(string kind)
    {
        // One long parameter runs mostly through the vector loop; 37 one-element parameters run only the scalar tail.
        const int Length = 37;
        Parameter whole = Filled("weight", Length, -0.2f, 0.7f);
        var singles = new Parameter[Length];
        for (int i = 0; i < Length; i++)
        {
            singles[i] = new Parameter("p" + i, new[] { whole.Values.Span[i] }, 1);
            singles[i].Gradient[0] = whole.Gradient[i];
        }

        Optimizer vectorized = Create(kind, whole);
        Optimizer scalar = Create(kind, singles);
        for (int step = 0; step < 4; step++)
        {
            vectorized.Step();
            scalar.Step();
        }

        for (int i = 0; i < Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(whole.Values.Span[i]), BitConverter.SingleToInt32Bits(singles[i].Values.Span[0]));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Step_writes_only_the_parameter_slice_of_shared_storage_and_leaves_gradients_alone(string kind)
    {
        var storage = new float[100];
        Array.Fill(storage, 42f);
        var parameter = new Parameter("weight", storage.AsMemory(30, 40), 40);
        Array.Fill(parameter.Gradient, 0.25f);

        Optimizer optimizer = Create(kind, parameter);
        optimizer.Step();
        optimizer.Step();

        Assert.All(storage[..30], v => Assert.Equal(42f, v));
        Assert.All(storage[70..], v => Assert.Equal(42f, v));
        Assert.All(storage[30..70], v => Assert.True(v < 42f, $"{v} did not move against a positive gradient"));
        Assert.All(parameter.Gradient, g => Assert.Equal(0.25f, g));
    }

    [Fact]
    public void Steps_counts_calls_and_zero_gradients_clears_every_gradient()
    {
        Parameter a = Filled("weight", 9, 0, 1);
        Parameter b = Filled("bias", 3, 0, 1);
        var optimizer = new Adam([a, b]);

        optimizer.Step();
        optimizer.Step();
        optimizer.ZeroGradients();

        Assert.Equal(2, optimizer.Steps);
        Assert.All(a.Gradient, g => Assert.Equal(0f, g));
        Assert.All(b.Gradient, g => Assert.Equal(0f, g));
        Assert.Equal([a, b], optimizer.Parameters);
    }

    [Fact]
    public void Sgd_momentum_starts_its_buffer_from_the_first_gradient_not_from_zero()
    {
        // Buffer = g on step 1 moves by lr·g; a zero-initialised buffer with dampening would move by lr·(1 − d)·g.
        var values = new float[] { 1f };
        var parameter = new Parameter("w", values, 1);
        parameter.Gradient[0] = 2f;
        var optimizer = new Sgd([parameter], 0.5f, momentum: 0.9f, dampening: 0.5f);

        optimizer.Step();
        Assert.Equal(0f, values[0]);

        optimizer.Step(); // buffer = 0.9·2 + 0.5·2 = 2.8
        Assert.Equal(-1.4f, values[0], 1e-6f);
    }

    [Fact]
    public void A_new_learning_rate_applies_from_the_next_step()
    {
        var values = new float[] { 0f };
        var parameter = new Parameter("w", values, 1);
        parameter.Gradient[0] = 1f;
        var optimizer = new Sgd([parameter], 0.5f);

        optimizer.Step();
        optimizer.LearningRate = 0.25f;
        optimizer.Step();

        Assert.Equal(-0.75f, values[0]);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_bad_learning_rate_is_rejected_by_constructors_and_setter(float learningRate)
    {
        Parameter p = Filled("w", 3, 0, 0);
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], learningRate));
        Assert.Contains("learning rate", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], learningRate));
        var optimizer = new Sgd([p], 0.1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = learningRate);
        Assert.Equal(0.1f, optimizer.LearningRate);
    }

    [Fact]
    public void Bad_hyperparameters_are_rejected_naming_the_argument()
    {
        Parameter[] ps = [Filled("w", 3, 0, 0)];
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, 0.1f, momentum: -0.5f)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, 0.1f, weightDecay: -1e-4f)).ParamName);
        Assert.Equal("dampening", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, 0.1f, 0.9f, dampening: float.NaN)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(ps, beta1: 1f)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(ps, beta2: -0.1f)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(ps, epsilon: -1e-8f)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(ps, weightDecay: float.NaN)).ParamName);
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(0.9f, 0.1f)]
    public void Nesterov_needs_momentum_and_no_dampening(float momentum, float dampening)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => new Sgd([Filled("w", 3, 0, 0)], 0.1f, momentum, dampening: dampening, nesterov: true));
        Assert.Contains($"momentum = {momentum}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"dampening = {dampening}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_parameter_list_is_rejected()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new Adam([]));
        Assert.Contains("empty parameter list", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_tensor_listed_twice_is_rejected_even_under_another_name()
    {
        Parameter weight = Filled("weight", 4, 0, 0);
        ArgumentException e = Assert.Throws<ArgumentException>(() => new Sgd([weight, Filled("bias", 2, 0, 0), weight.WithPrefix("conv1")], 0.1f));
        Assert.Contains("parameter 2 (conv1.weight [4]) is the same tensor as parameter 0 (weight [4])", e.Message, StringComparison.Ordinal);
    }
}
