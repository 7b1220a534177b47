using System;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace ConvGen.Samples.Training;

/// <summary>What one epoch (or evaluation pass) came to: the mean loss and the accuracy over its images.</summary>
internal readonly record struct EpochSummary(int Images, int Batches, double Loss, double Accuracy, TimeSpan Elapsed)
{
    /// <summary>Images per second over the whole pass.</summary>
    public double ImagesPerSecond => Elapsed.TotalSeconds > 0 ? Images / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// A progress line for one pass over a data set: batches done, running loss and accuracy, images per second and the
/// time left. On a terminal it is one line redrawn in place with '\r', at most ten times a second; when the output is
/// redirected (a CI log, a file) it prints one plain line each time another tenth of the batches is done instead.
/// <see cref="Finish"/> prints the pass's summary line in both cases. Not thread-safe: report from one thread.
/// </summary>
/// <example>
/// <code>
/// var bar = new ProgressBar($"epoch {e}/{epochs}", train.Count, batchSize);
/// foreach (batch ...) { ...; bar.Report(batch.Count, meanLoss, correct); }
/// EpochSummary summary = bar.Finish();
/// </code>
/// </example>
internal sealed class ProgressBar
{
    private const int BarWidth = 24;
    private static readonly long RedrawTicks = Stopwatch.Frequency / 10;

    private readonly string label;
    private readonly TextWriter output;
    private readonly bool inPlace;
    private readonly long start = Stopwatch.GetTimestamp();
    private readonly StringBuilder line = new();
    private long lastDraw;
    private int lastLength;
    private int nextTenth = 1;
    private double lossSum;
    private long correct;
    private bool finished;

    /// <summary>Starts the clock for a pass over <paramref name="totalImages"/> images in batches of <paramref name="batchSize"/>.</summary>
    /// <param name="label">Printed first on every line, e.g. "epoch 1/3" or "test".</param>
    /// <param name="totalImages">The images the pass will report (the last batch may be smaller).</param>
    /// <param name="batchSize">The batch size, for the number of batches.</param>
    /// <param name="output">Where to write; the console by default.</param>
    /// <param name="inPlace">Redraw one line with '\r' (true) or print a line per tenth (false); by default in place
    /// exactly when writing to a console whose output is not redirected.</param>
    public ProgressBar(string label, int totalImages, int batchSize, TextWriter? output = null, bool? inPlace = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentOutOfRangeException.ThrowIfNegative(totalImages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        this.label = label;
        this.output = output ?? Console.Out;
        this.inPlace = inPlace ?? (output is null && !Console.IsOutputRedirected);
        TotalImages = totalImages;
        TotalBatches = (int)(((long)totalImages + batchSize - 1) / batchSize);
    }

    public int TotalImages { get; }

    public int TotalBatches { get; }

    /// <summary>Images reported so far.</summary>
    public int Images { get; private set; }

    /// <summary>Batches reported so far.</summary>
    public int Batches { get; private set; }

    /// <summary>The mean loss per image so far (each batch's mean loss weighted by its images).</summary>
    public double Loss => Images > 0 ? lossSum / Images : double.NaN;

    /// <summary>The share of images classified correctly so far, 0 to 1.</summary>
    public double Accuracy => Images > 0 ? (double)correct / Images : double.NaN;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(start);

    /// <summary>Records a batch: its number of images, its mean loss (NaN when there is none, e.g. evaluation without
    /// loss) and how many of its images were classified correctly; redraws if it is time to.</summary>
    public void Report(int images, float meanLoss, int correctImages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(images);
        if (correctImages < 0 || correctImages > images)
        {
            throw new ArgumentOutOfRangeException(nameof(correctImages), correctImages, $"Between 0 and the batch's {images} images.");
        }

        if (finished)
        {
            throw new InvalidOperationException("The pass is finished.");
        }

        Images += images;
        Batches++;
        lossSum += (double)meanLoss * images;
        correct += correctImages;

        if (inPlace)
        {
            long now = Stopwatch.GetTimestamp();
            if (now - lastDraw >= RedrawTicks || Batches == TotalBatches)
            {
                lastDraw = now;
                Draw();
            }
        }
        else if (Batches < TotalBatches && nextTenth < 10 && (long)Batches * 10 >= (long)nextTenth * TotalBatches)
        {
            while (nextTenth < 10 && (long)Batches * 10 >= (long)nextTenth * TotalBatches)
            {
                nextTenth++;
            }

            Compose(bar: false);
            output.WriteLine(line.ToString());
        }
    }

    /// <summary>Ends the pass: replaces the bar (or follows the tenths) with the summary line, and returns the summary.</summary>
    public EpochSummary Finish()
    {
        if (!finished)
        {
            finished = true;
            TimeSpan elapsed = Elapsed;
            line.Clear();
            line.Append(label).Append("  ").Append(Batches).Append(" batches, ").Append(Images).Append(" images");
            AppendMetrics(elapsed);
            line.Append("  ").Append(FormatTime(elapsed));
            if (inPlace)
            {
                PadOver();
                output.Write('\r');
            }

            output.WriteLine(line.ToString());
            output.Flush();
        }

        return new EpochSummary(Images, Batches, Loss, Accuracy, Elapsed);
    }

    private void Draw()
    {
        Compose(bar: true);
        int width = ConsoleWidth();
        if (width > 1 && line.Length > width - 1)
        {
            line.Length = width - 1; // a wrapped line cannot be redrawn with '\r'
        }

        int length = line.Length;
        PadOver();
        output.Write('\r');
        output.Write(line.ToString());
        output.Flush();
        lastLength = length;
    }

    // Spaces over what is left of a longer previous line.
    private void PadOver()
    {
        if (line.Length < lastLength)
        {
            line.Append(' ', lastLength - line.Length);
        }
    }

    private void Compose(bool bar)
    {
        TimeSpan elapsed = Elapsed;
        double fraction = TotalBatches > 0 ? Math.Min(1.0, (double)Batches / TotalBatches) : 1.0;
        line.Clear();
        line.Append(label).Append(' ');
        if (bar)
        {
            int filled = (int)(fraction * BarWidth);
            line.Append('[').Append('=', filled);
            if (filled < BarWidth)
            {
                line.Append('>').Append(' ', BarWidth - filled - 1);
            }

            line.Append(']');
        }
        else
        {
            line.Append($"{fraction * 100,4:0}%");
        }

        line.Append(' ').Append(Batches.ToString().PadLeft(TotalBatches.ToString().Length)).Append('/').Append(TotalBatches);
        AppendMetrics(elapsed);
        double rate = Images / Math.Max(elapsed.TotalSeconds, 1e-9);
        line.Append("  ETA ").Append(Images > 0 && rate > 0 ? FormatTime(TimeSpan.FromSeconds((TotalImages - Images) / rate)) : "?");
    }

    private void AppendMetrics(TimeSpan elapsed)
    {
        line.Append($"  loss {Loss:0.0000}  acc {Accuracy * 100:0.00}%  {Images / Math.Max(elapsed.TotalSeconds, 1e-9),7:0} img/s");
    }

    private static string FormatTime(TimeSpan t)
    {
        if (t.TotalSeconds < 60)
        {
            return $"{t.TotalSeconds:0.0} s";
        }

        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
    }

    private int ConsoleWidth()
    {
        if (!ReferenceEquals(output, Console.Out))
        {
            return 0;
        }

        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (PlatformNotSupportedException)
        {
            return 0;
        }
    }
}
