using System;
using System.Linq;
using ConvGen.Layers.Tests.Networks;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Layers.Tests.Backward;

/// <summary>Training steps of a generated network through <see cref="Trainer"/>: learning, determinism, and divergence handling.</summary>
public class TrainerTests
{
    private static (LeNet Network, float[] Input, int[] Labels) Setup(ulong seed, int batch)
    {
        var network = new LeNet();
        var random = new TrainingRandom(seed);
        Initialization.KaimingUniform(network.Parameters, random);
        var input = new float[batch * LeNet.InputSize];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.NextFloat() * 2 - 1;
        }

        int[] labels = Enumerable.Range(0, batch).Select(_ => random.NextInt(10)).ToArray();
        return (network, input, labels);
    }

    private static float[] Weights(ITrainableNetwork network) => network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();

    [Fact]
    public void Steps_on_one_batch_drive_its_loss_down_and_its_accuracy_up()
    {
        (LeNet network, float[] input, int[] labels) = Setup(1, 16);
        var trainer = new Trainer(network, new Adam(network.Parameters, 2e-3f), maxBatch: 16);
        StepResult first = trainer.Step(input, labels, 16);
        StepResult last = first;
        for (int i = 0; i < 100; i++)
        {
            last = trainer.Step(input, labels, 16);
        }

        Assert.True(last.Loss < first.Loss * 0.2f, $"loss went from {first.Loss} to {last.Loss}");
        Assert.Equal(16, last.Correct);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_training()
    {
        float[] Run()
        {
            (LeNet network, float[] input, int[] labels) = Setup(7, 8);
            var trainer = new Trainer(network, new Adam(network.Parameters, 1e-3f), maxBatch: 8);
            for (int i = 0; i < 5; i++)
            {
                trainer.Step(input, labels, 8);
            }

            return Weights(network);
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void NaN_in_the_input_stops_the_step_before_anything_changes()
    {
        (LeNet network, float[] input, int[] labels) = Setup(2, 4);
        var trainer = new Trainer(network, new Sgd(network.Parameters, 0.01f), maxBatch: 4);
        trainer.Step(input, labels, 4);
        float[] before = Weights(network);
        input[100] = float.NaN;
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Step(input, labels, 4));
        Assert.Equal(2, ex.Step);
        Assert.Equal("input", ex.Layer);
        Assert.Equal(before, Weights(network));
    }

    [Fact]
    public void A_huge_learning_rate_is_reported_with_its_step_and_layer_and_the_last_good_weights_are_kept()
    {
        (LeNet network, float[] input, int[] labels) = Setup(3, 8);
        var trainer = new Trainer(network, new Sgd(network.Parameters, 1e30f), maxBatch: 8);
        float[] before = Weights(network);
        TrainingDivergedException? diverged = null;
        for (int step = 0; step < 20 && diverged is null; step++)
        {
            before = Weights(network);
            try
            {
                trainer.Step(input, labels, 8);
            }
            catch (TrainingDivergedException e)
            {
                diverged = e;
            }
        }

        Assert.NotNull(diverged);
        Assert.Contains($"step {diverged!.Step}", diverged.Message);
        Assert.Contains(diverged.Layer.Split('.')[0], new[] { "conv1", "pool1", "conv2", "pool2", "fc1", "fc2", "fc3", "loss" });
        Assert.Equal(before, Weights(network));
        Assert.All(Weights(network), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Trainer_rejects_an_optimizer_of_other_parameters_and_batches_it_was_not_sized_for()
    {
        var network = new LeNet();
        var other = new LeNet();
        var ex = Assert.Throws<ArgumentException>(() => new Trainer(network, new Sgd(other.Parameters, 0.1f), 4));
        Assert.Contains("conv1.weight", ex.Message);

        var trainer = new Trainer(network, new Sgd(network.Parameters, 0.1f), 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Step(new float[5 * LeNet.InputSize], new int[5], 5));
        var lengths = Assert.Throws<ArgumentException>(() => trainer.Step(new float[2 * LeNet.InputSize - 1], new int[2], 2));
        Assert.Contains((2 * LeNet.InputSize - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), lengths.Message);
        Assert.Throws<ArgumentException>(() => trainer.Step(new float[2 * LeNet.InputSize], new[] { 0, 10 }, 2));
    }

    [Fact]
    public void Network_parameters_are_named_like_the_PyTorch_state_dict()
    {
        Assert.Equal(
            new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias" },
            new LeNet().Parameters.Select(p => p.Name));
    }
}
