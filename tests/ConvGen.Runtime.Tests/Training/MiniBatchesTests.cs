using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Training;

namespace ConvGen.Runtime.Tests.Training;

/// <summary>
/// <see cref="MiniBatches"/>: every sample once per epoch, the batch sizes of DataLoader's <c>drop_last</c> rule,
/// a new order per shuffled epoch, no allocation once running, and gathering samples into a batch buffer.
/// </summary>
public sealed class MiniBatchesTests
{
    private static List<int[]> Epoch(MiniBatches batches)
    {
        var result = new List<int[]>();
        int expectedNumber = 0;
        int expectedStart = 0;
        foreach (MiniBatch batch in batches.NextEpoch())
        {
            Assert.Equal(expectedNumber++, batch.Number);
            Assert.Equal(expectedStart, batch.Start);
            expectedStart += batch.Count;
            result.Add(batch.Indices.ToArray());
        }

        return result;
    }

    [Theory]
    [InlineData(10, 4, false, new[] { 4, 4, 2 })]
    [InlineData(10, 4, true, new[] { 4, 4 })]
    [InlineData(12, 4, true, new[] { 4, 4, 4 })]
    [InlineData(12, 4, false, new[] { 4, 4, 4 })]
    [InlineData(3, 5, false, new[] { 3 })]
    [InlineData(1, 1, false, new[] { 1 })]
    public void Batch_sizes_follow_the_drop_last_rule(int samples, int batchSize, bool dropLast, int[] sizes)
    {
        var batches = new MiniBatches(samples, batchSize, new TrainingRandom(1), shuffle: true, dropLast);

        Assert.Equal(sizes, Epoch(batches).Select(b => b.Length));
        Assert.Equal(sizes.Length, batches.BatchesPerEpoch);
        Assert.Equal(sizes.Sum(), batches.SamplesPerEpoch);
    }

    [Fact]
    public void A_shuffled_epoch_visits_every_sample_exactly_once_in_a_new_order_each_time()
    {
        var batches = new MiniBatches(103, 8, new TrainingRandom(5), shuffle: true);
        var orders = new List<int[]>();
        for (int epoch = 0; epoch < 4; epoch++)
        {
            int[] visited = Epoch(batches).SelectMany(b => b).ToArray();
            Assert.Equal(Enumerable.Range(0, 103), visited.Order());
            Assert.Equal(visited, batches.Order.ToArray());
            orders.Add(visited);
        }

        Assert.Equal(4, batches.Epochs);
        Assert.Equal(4, orders.Select(o => string.Join(",", o)).Distinct().Count());
        Assert.NotEqual(Enumerable.Range(0, 103), orders[0]);
    }

    [Fact]
    public void Every_sample_is_equally_likely_to_come_first_in_a_shuffled_epoch()
    {
        // Upper 0.1 % point of chi-square with 3 degrees of freedom; the seed is fixed, so the outcome is too.
        const double ChiSquare3 = 16.266;
        var batches = new MiniBatches(4, 2, new TrainingRandom(8), shuffle: true);
        var counts = new long[4];
        for (int epoch = 0; epoch < 4000; epoch++)
        {
            foreach (MiniBatch batch in batches.NextEpoch())
            {
                counts[batch.Indices[0]]++;
                break;
            }
        }

        double chiSquare = counts.Sum(c => (c - 1000.0) * (c - 1000.0) / 1000.0);
        Assert.True(chiSquare < ChiSquare3, $"chi-square {chiSquare} over [{string.Join(", ", counts)}]");
    }

    [Fact]
    public void With_drop_last_a_shuffled_epoch_visits_distinct_samples_and_leaves_out_a_different_tail()
    {
        var batches = new MiniBatches(10, 4, new TrainingRandom(6), shuffle: true, dropLast: true);
        var leftOut = new HashSet<string>();
        for (int epoch = 0; epoch < 10; epoch++)
        {
            int[] visited = Epoch(batches).SelectMany(b => b).ToArray();
            Assert.Equal(8, visited.Distinct().Count());
            leftOut.Add(string.Join(",", Enumerable.Range(0, 10).Except(visited).Order()));
        }

        Assert.True(leftOut.Count > 1, "every epoch left out the same samples");
    }

    [Fact]
    public void Without_shuffle_every_epoch_is_in_stored_order_and_needs_no_random()
    {
        var batches = new MiniBatches(7, 3, random: null, shuffle: false);

        for (int epoch = 0; epoch < 2; epoch++)
        {
            Assert.Equal([[0, 1, 2], [3, 4, 5], [6]], Epoch(batches));
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_batches()
    {
        List<int[]> Run(ulong seed)
        {
            var batches = new MiniBatches(50, 7, new TrainingRandom(seed), shuffle: true);
            return [.. Epoch(batches), .. Epoch(batches)];
        }

        Assert.Equal(Run(99), Run(99));
        Assert.NotEqual(Run(99), Run(100));
    }

    [Fact]
    public void Epochs_and_gathering_allocate_nothing_once_running()
    {
        const int Samples = 1000, SampleSize = 12, BatchSize = 64;
        float[] images = Tensors.Ramp(Samples * SampleSize);
        int[] labels = Enumerable.Range(0, Samples).Select(i => i % 10).ToArray();
        var x = new float[BatchSize * SampleSize];
        var y = new int[BatchSize];
        var batches = new MiniBatches(Samples, BatchSize, new TrainingRandom(3), shuffle: true);

        long RunEpoch()
        {
            long checksum = 0;
            foreach (MiniBatch batch in batches.NextEpoch())
            {
                MiniBatches.Gather(images, SampleSize, batch.Indices, x.AsSpan(0, batch.Count * SampleSize));
                MiniBatches.Gather(labels, 1, batch.Indices, y.AsSpan(0, batch.Count));
                checksum += y[0] + (long)x[0];
            }

            return checksum;
        }

        Assert.Equal(0, SteadyState.AllocatedBytes(() => RunEpoch(), calls: 2));
    }

    [Fact]
    public void Gather_copies_each_indexed_sample_in_turn()
    {
        float[] source = [0, 1, 10, 11, 20, 21, 30, 31];
        var destination = new float[6];

        MiniBatches.Gather(source, 2, [3, 0, 3], destination);

        Assert.Equal([30, 31, 0, 1, 30, 31], destination);

        var labels = new int[2];
        MiniBatches.Gather([7, 8, 9], 1, [2, 0], labels);
        Assert.Equal([9, 7], labels);
    }

    [Fact]
    public void Enumerating_an_epoch_after_the_next_one_started_throws()
    {
        var batches = new MiniBatches(10, 3, new TrainingRandom(1), shuffle: true);
        MiniBatches.Epoch stale = batches.NextEpoch();
        batches.NextEpoch();

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (MiniBatch batch in stale)
            {
                _ = batch.Count;
            }
        });
        Assert.Contains("Epoch 1 is being enumerated after epoch 2 started", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 4, "at least one sample, got 0")]
    [InlineData(-3, 4, "at least one sample, got -3")]
    [InlineData(10, 0, "positive batch size, got 0")]
    public void Bad_counts_are_rejected_naming_the_value(int samples, int batchSize, string message)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatches(samples, batchSize, new TrainingRandom(1), shuffle: true));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drop_last_with_a_batch_larger_than_the_data_set_is_rejected()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new MiniBatches(5, 8, new TrainingRandom(1), shuffle: true, dropLast: true));
        Assert.Contains("batch size of 8 leaves no batch of 5 samples", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shuffle_without_a_random_is_rejected()
        => Assert.Throws<ArgumentNullException>(() => new MiniBatches(5, 2, random: null, shuffle: true));

    [Fact]
    public void Gather_names_bad_sizes_and_indices()
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => MiniBatches.Gather(new float[8], 2, [0, 1], new float[3]));
        Assert.Contains("destination has 3 elements but 2 samples of 2 need exactly 4", e.Message, StringComparison.Ordinal);

        e = Assert.ThrowsAny<ArgumentException>(() => MiniBatches.Gather(new float[9], 2, [0], new float[2]));
        Assert.Contains("source has 9 elements, not a whole number of samples of 2", e.Message, StringComparison.Ordinal);

        e = Assert.ThrowsAny<ArgumentException>(() => MiniBatches.Gather(new int[4], 1, [0, 4], new int[2]));
        Assert.Contains("index 1 is 4, outside the source's 4 samples [0, 4)", e.Message, StringComparison.Ordinal);

        e = Assert.ThrowsAny<ArgumentException>(() => MiniBatches.Gather(new int[4], 1, [-1], new int[1]));
        Assert.Contains("index 0 is -1", e.Message, StringComparison.Ordinal);

        e = Assert.ThrowsAny<ArgumentException>(() => MiniBatches.Gather(new float[4], 0, [0], new float[1]));
        Assert.Contains("positive sample size, got 0", e.Message, StringComparison.Ordinal);
    }
}
