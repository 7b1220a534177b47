using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Planning;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// The members of a separable layer run by two specialized kernels a band of output rows at a time: the band's padded
/// input rows are copied out (by the padding mode), the depthwise kernel makes the band's intermediate rows, the
/// pointwise kernel (with the bias and the activation) the output rows, which are put in place. Only a band of the
/// intermediate (about 64 KB) ever exists.
/// </summary>
internal static class SeparableEmitter
{
    public static string Describe(KernelPlan plan, LayerGeometry g)
        => $"specialized: depthwise {g.KernelH}x{g.KernelW} ({g.DepthMultiplier} output(s) per channel) then pointwise 1x1, fused a band of output rows at a time (about 64 KB of intermediate): the whole intermediate is never held";

    public static void WriteState(CodeWriter w, LayerGeometry g)
    {
        long middle = (long)g.InChannels * g.DepthMultiplier;
        w.Line("// The two halves' weights, copied out of Weights on every Forward so that writes through it count at once.");
        w.Line($"private readonly float[] _depthwise = new float[{LayerEmitter.N(middle * g.KernelH * g.KernelW)}];");
        w.Line($"private readonly float[] _pointwise = new float[{LayerEmitter.N(middle * g.OutChannels)}];");
    }

    public static void WriteForward(CodeWriter w, KernelPlan plan, LayerGeometry g)
    {
        long middle = (long)g.InChannels * g.DepthMultiplier;
        w.Line("global::System.Array.Copy(_weights, 0, _depthwise, 0, _depthwise.Length);");
        w.Line("global::System.Array.Copy(_weights, _depthwise.Length, _pointwise, 0, _pointwise.Length);");
        w.Line("// Single-thread estimate at ~70 GFLOP/s for the two halves together; bands split over threads beyond that.");
        w.Line($"double microseconds = 2.0 * outputShape.N * outputShape.H * outputShape.W * {LayerEmitter.N(middle * g.KernelH * g.KernelW + middle * g.OutChannels)} / 70e3;");
        w.Line("int parts = global::ConvGen.Internal.KernelThreads.Parts(Threads, microseconds);");
        using (w.Block("if (parts <= 1)"))
        {
            w.Line("RunBands(input, inputShape, output, outputShape, 0, 1);");
        }

        using (w.Block("else"))
        {
            w.Line("global::ConvGen.Internal.KernelThreads.Run(this, input, inputShape, output, outputShape, parts);");
        }
    }

    /// <summary>The band loop: part <c>part</c> of <c>parts</c> takes a contiguous range of the (image, band) items.</summary>
    public static void WriteBands(CodeWriter w, KernelPlan plan, LayerGeometry g, string geometry, string literalName)
    {
        string dw = $"global::{KernelEmitter.KernelNamespace}.{KernelEmitter.KernelClassName(plan.Depthwise!)}";
        string pw = $"global::{KernelEmitter.KernelNamespace}.{KernelEmitter.KernelClassName(plan.Pointwise!)}";
        w.Line();
        w.Line("/// <summary>Runs part <paramref name=\"part\"/> of <paramref name=\"parts\"/> of the (image, band of output rows) items.</summary>");
        using (w.Block("private void RunBands(global::System.ReadOnlySpan<float> input, global::ConvGen.TensorShape inputShape, global::System.Span<float> output, global::ConvGen.TensorShape outputShape, int part, int parts)"))
        {
            w.Line($"global::ConvGen.Internal.Pads pads = global::ConvGen.Internal.LayerGuard.ResolvePads({geometry}, inputShape, {literalName});");
            w.Line($"const int middle = InputChannels * {g.DepthMultiplier};");
            w.Line("int outH = outputShape.H, outW = outputShape.W, paddedW = inputShape.W + pads.Left + pads.Right;");
            w.Line("int rows = global::ConvGen.Internal.SeparableBands.BandRows(middle, outW, outH);");
            w.Line("int bands = (outH + rows - 1) / rows, items = inputShape.N * bands;");
            w.Line("int inImage = InputChannels * inputShape.H * inputShape.W, outImage = OutputChannels * outH * outW;");
            w.Line("global::ConvGen.TensorShape imageShape = inputShape with { N = 1 };");
            using (w.Block("for (int item = (int)((long)items * part / parts), last = (int)((long)items * (part + 1) / parts); item < last; item++)"))
            {
                w.Line("int n = item / bands, r0 = item % bands * rows;");
                w.Line("global::System.ReadOnlySpan<float> image = input.Slice(n * inImage, inImage);");
                w.Line("global::System.Span<float> target = output.Slice(n * outImage, outImage);");
                w.Line("int count = global::System.Math.Min(rows, outH - r0);");
                w.Line($"int inRows = (count - 1) * {g.StrideH} + {g.DilationH * (g.KernelH - 1) + 1};");
                w.Line("var bandIn = new global::ConvGen.TensorShape(1, InputChannels, inRows, paddedW);");
                w.Line("var bandMiddle = new global::ConvGen.TensorShape(1, middle, count, outW);");
                w.Line("var bandOut = new global::ConvGen.TensorShape(1, OutputChannels, count, outW);");
                w.Line("global::System.Span<float> a = global::System.MemoryExtensions.AsSpan(global::ConvGen.Internal.SeparableBands.Buffer(0, (int)bandIn.ElementCount), 0, (int)bandIn.ElementCount);");
                w.Line("global::System.Span<float> b = global::System.MemoryExtensions.AsSpan(global::ConvGen.Internal.SeparableBands.Buffer(1, (int)bandMiddle.ElementCount), 0, (int)bandMiddle.ElementCount);");
                w.Line("global::System.Span<float> c = global::System.MemoryExtensions.AsSpan(global::ConvGen.Internal.SeparableBands.Buffer(2, (int)bandOut.ElementCount), 0, (int)bandOut.ElementCount);");
                w.Line($"global::ConvGen.Internal.SeparableBands.StageRows(image, imageShape, pads, global::ConvGen.PaddingMode.{g.PaddingMode}, r0 * {g.StrideH}, inRows, a);");
                w.Line($"{dw}.Run(a, bandIn, b, bandMiddle, _depthwise, global::System.Array.Empty<float>(), 0, 1);");
                w.Line($"{pw}.Run(b, bandMiddle, c, bandOut, _pointwise, _bias, 0, 1);");
                w.Line("global::ConvGen.Internal.SeparableBands.Place(c, target, OutputChannels, count * outW, outH * outW, r0 * outW);");
            }
        }
    }
}
