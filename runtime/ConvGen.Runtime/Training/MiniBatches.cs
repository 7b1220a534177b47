using System;

namespace ConvGen.Training;

/// <summary>
/// Splits a data set of <see cref="SampleCount"/> samples into mini-batches epoch by epoch, as PyTorch's
/// <c>DataLoader</c> with <c>shuffle</c> and <c>drop_last</c> does, over one permutation array allocated up front:
/// <see cref="NextEpoch"/> and enumerating its batches allocate nothing.
/// </summary>
/// <example>
/// <code>
/// var batches = new MiniBatches(images.Length / 784, 64, new TrainingRandom(1), shuffle: true);
/// for (int epoch = 0; epoch &lt; 10; epoch++)
/// {
///     foreach (MiniBatch batch in batches.NextEpoch())
///     {
///         MiniBatches.Gather(images, 784, batch.Indices, x.AsSpan(0, batch.Count * 784));
///         MiniBatches.Gather(labels, 1, batch.Indices, y.AsSpan(0, batch.Count));
///         // forward, loss, backward, step
///     }
/// }
/// </code>
/// </example>
public sealed class MiniBatches
{
    private readonly int[] _order;
    private readonly TrainingRandom? _random;
    private int _epoch;

    /// <summary>Creates the batching for a data set; the first <see cref="NextEpoch"/> shuffles (if asked) before its first batch.</summary>
    /// <param name="sampleCount">Samples in the data set.</param>
    /// <param name="batchSize">Samples per batch; the last batch of an epoch may have fewer.</param>
    /// <param name="random">Draws each epoch's order; may be null only when <paramref name="shuffle"/> is false.</param>
    /// <param name="shuffle">A new random order every epoch, or the samples in their stored order.</param>
    /// <param name="dropLast">Leave out an epoch's last batch when it has fewer than <paramref name="batchSize"/> samples.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleCount"/> or <paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="dropLast"/> would leave no batch at all.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="shuffle"/> is true and <paramref name="random"/> is null.</exception>
    public MiniBatches(int sampleCount, int batchSize, TrainingRandom? random, bool shuffle, bool dropLast = false)
    {
        if (sampleCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount, $"MiniBatches needs at least one sample, got {sampleCount}.");
        }

        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"MiniBatches needs a positive batch size, got {batchSize}.");
        }

        if (dropLast && batchSize > sampleCount)
        {
            // DataLoader would silently yield nothing; a training loop that never steps is better caught here.
            throw new ArgumentException(
                $"With dropLast, a batch size of {batchSize} leaves no batch of {sampleCount} samples.", nameof(batchSize));
        }

        if (shuffle)
        {
            ArgumentNullException.ThrowIfNull(random);
        }

        SampleCount = sampleCount;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        _random = random;
        _order = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++)
        {
            _order[i] = i;
        }

        BatchesPerEpoch = dropLast ? sampleCount / batchSize : (sampleCount + batchSize - 1) / batchSize;
    }

    /// <summary>Samples in the data set.</summary>
    public int SampleCount { get; }

    /// <summary>Samples per batch (the last batch of an epoch may have fewer unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether every epoch has a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether an epoch's short last batch is left out.</summary>
    public bool DropLast { get; }

    /// <summary>Batches in every epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Samples every epoch visits: <see cref="SampleCount"/>, less the short last batch when <see cref="DropLast"/>.</summary>
    public int SamplesPerEpoch => DropLast ? BatchesPerEpoch * BatchSize : SampleCount;

    /// <summary>Epochs started by <see cref="NextEpoch"/> so far.</summary>
    public int Epochs => _epoch;

    /// <summary>The current epoch's sample order (all <see cref="SampleCount"/> indices); valid until the next <see cref="NextEpoch"/>.</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>
    /// Starts an epoch: reshuffles the order if <see cref="Shuffle"/>, and returns its batches to enumerate with
    /// <c>foreach</c>. Starting another epoch ends this one: its enumeration then throws.
    /// </summary>
    public Epoch NextEpoch()
    {
        if (Shuffle)
        {
            // Shuffling the previous order rather than the identity is still uniform, and needs no reset pass.
            _random!.Shuffle(_order);
        }

        _epoch++;
        return new Epoch(this, _epoch);
    }

    /// <summary>
    /// Copies the samples at <paramref name="indices"/>, each <paramref name="sampleSize"/> consecutive floats of
    /// <paramref name="source"/>, one after another into <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="sampleSize"/> is not positive or does not divide the source, the destination is not exactly
    /// indices × sampleSize long, or an index is outside the source's samples.
    /// </exception>
    public static void Gather(ReadOnlySpan<float> source, int sampleSize, ReadOnlySpan<int> indices, Span<float> destination)
        => GatherCore(source, sampleSize, indices, destination);

    /// <summary>
    /// Copies the samples at <paramref name="indices"/>, each <paramref name="sampleSize"/> consecutive ints of
    /// <paramref name="source"/> (1 for class labels), one after another into <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="sampleSize"/> is not positive or does not divide the source, the destination is not exactly
    /// indices × sampleSize long, or an index is outside the source's samples.
    /// </exception>
    public static void Gather(ReadOnlySpan<int> source, int sampleSize, ReadOnlySpan<int> indices, Span<int> destination)
        => GatherCore(source, sampleSize, indices, destination);

    private static void GatherCore<T>(ReadOnlySpan<T> source, int sampleSize, ReadOnlySpan<int> indices, Span<T> destination)
    {
        if (sampleSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleSize), sampleSize, $"Gather needs a positive sample size, got {sampleSize}.");
        }

        if (source.Length % sampleSize != 0)
        {
            throw new ArgumentException(
                $"Gather: the source has {source.Length} elements, not a whole number of samples of {sampleSize}.", nameof(source));
        }

        long needed = (long)indices.Length * sampleSize;
        if (destination.Length != needed)
        {
            throw new ArgumentException(
                $"Gather: the destination has {destination.Length} elements but {indices.Length} samples of {sampleSize} need exactly {needed}.",
                nameof(destination));
        }

        int samples = source.Length / sampleSize;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)samples)
            {
                throw new ArgumentException(
                    $"Gather: index {i} is {index}, outside the source's {samples} samples [0, {samples}).", nameof(indices));
            }

            source.Slice(index * sampleSize, sampleSize).CopyTo(destination.Slice(i * sampleSize, sampleSize));
        }
    }

    /// <summary>One epoch's batches, for <c>foreach</c>; a value that holds no array of its own.</summary>
    public readonly struct Epoch
    {
        private readonly MiniBatches _owner;
        private readonly int _epoch;

        internal Epoch(MiniBatches owner, int epoch)
        {
            _owner = owner;
            _epoch = epoch;
        }

        /// <summary>Batches in this epoch.</summary>
        public int Count => _owner.BatchesPerEpoch;

        /// <summary>Returns the enumerator <c>foreach</c> uses.</summary>
        public Enumerator GetEnumerator() => new(_owner, _epoch);
    }

    /// <summary>Walks one epoch's batches in order.</summary>
    public struct Enumerator
    {
        private readonly MiniBatches _owner;
        private readonly int _epoch;
        private int _number;

        internal Enumerator(MiniBatches owner, int epoch)
        {
            _owner = owner;
            _epoch = epoch;
            _number = -1;
        }

        /// <summary>The batch at the enumerator's position.</summary>
        public readonly MiniBatch Current
        {
            get
            {
                int start = _number * _owner.BatchSize;
                int count = Math.Min(_owner.BatchSize, _owner.SampleCount - start);
                return new MiniBatch(_number, start, _owner._order.AsSpan(start, count));
            }
        }

        /// <summary>Moves to the next batch; false after the last.</summary>
        /// <exception cref="InvalidOperationException">Another epoch has started since this one, so its order is gone.</exception>
        public bool MoveNext()
        {
            if (_owner._epoch != _epoch)
            {
                throw new InvalidOperationException(
                    $"Epoch {_epoch} is being enumerated after epoch {_owner._epoch} started and reshuffled the order.");
            }

            if (_number + 1 >= _owner.BatchesPerEpoch)
            {
                return false;
            }

            _number++;
            return true;
        }
    }
}

/// <summary>One mini-batch: its position in the epoch and the indices of its samples.</summary>
public readonly ref struct MiniBatch
{
    internal MiniBatch(int number, int start, ReadOnlySpan<int> indices)
    {
        Number = number;
        Start = start;
        Indices = indices;
    }

    /// <summary>The batch's position in its epoch, from 0.</summary>
    public int Number { get; }

    /// <summary>Where the batch starts in the epoch's <see cref="MiniBatches.Order"/>.</summary>
    public int Start { get; }

    /// <summary>The data-set indices of the batch's samples, over the shared order array (do not keep past the epoch).</summary>
    public ReadOnlySpan<int> Indices { get; }

    /// <summary>Samples in the batch: the batch size, or fewer for an epoch's last batch.</summary>
    public int Count => Indices.Length;
}
