using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Planning;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// The members of a transposed layer split into output phases (<see cref="TransposedPlanner"/>): one weight array
/// per phase, rearranged from the PyTorch layout on every Forward (so writes through Weights count at once), each
/// phase run by its own specialized convolution kernel into a per-thread buffer, then written interleaved.
/// </summary>
internal static class TransposedEmitter
{
    public static string PhaseField(int index) => $"_phase{index}";

    public static void WriteState(CodeWriter w, KernelPlan plan, LayerGeometry g)
    {
        w.Line("// Per output phase: the taps that reach it, as the weights of a stride-1 convolution [Cout, Cin/Groups, Mh, Mw].");
        int i = 0;
        foreach (PhasePlan p in plan.Phases!.Value)
        {
            string size = g.HasStaticChannels ? LayerEmitter.N((long)g.OutChannels * g.InChannelsPerGroup * p.Md * p.Mh * p.Mw) : "";
            w.Line(g.HasStaticChannels
                ? $"private readonly float[] {PhaseField(i)} = new float[{size}];"
                : $"private float[] {PhaseField(i)} => _phases[{i}];");
            i++;
        }

        w.Line();
        w.Line("// One phase's outputs for the whole batch, per thread (the phase kernels stage their input in Scratch).");
        w.Line("[global::System.ThreadStatic]");
        w.Line("private static float[]? t_phase;");
        w.Line();
    }

    /// <summary>For layers whose channels come from the constructor: the phase arrays are sized there.</summary>
    public static void WriteDynamicAllocation(CodeWriter w, KernelPlan plan, LayerGeometry g)
    {
        w.Line("_phases = new float[][]");
        w.Line("{");
        w.Indent();
        foreach (PhasePlan p in plan.Phases!.Value)
        {
            w.Line($"new float[outChannels * (inChannels / {g.Groups}) * {p.Md * p.Mh * p.Mw}],");
        }

        w.Outdent();
        w.Line("};");
    }

    public static void WriteForward(CodeWriter w, KernelPlan plan, LayerGeometry g, string geometry)
    {
        w.Line("ArrangePhaseWeights();");
        w.Line("int planes = inputShape.N * OutChannels;");
        long taps = 0;
        foreach (PhasePlan q in plan.Phases!.Value)
        {
            taps += (long)q.Md * q.Mh * q.Mw;
        }

        w.Line($"// One thread per ~100 microseconds of a phase's work, at ~80 GFLOP/s; the phases run one after another.");
        w.Line($"int parts = global::ConvGen.Internal.KernelThreads.Parts(Threads, 2.0 * input.Length * (OutChannels / {g.Groups}) * {LayerEmitter.N(taps)} / 80e3 / {plan.Phases!.Value.Length});");
        w.Line("_runners ??= CreateRunners();");
        int i = 0;
        foreach (PhasePlan p in plan.Phases!.Value)
        {
            string kernel = $"global::{KernelEmitter.KernelNamespace}.{KernelEmitter.KernelClassName(p.Plan)}";
            string planes = Size(g.InD, "inputShape.D", p.Qd), rows = Size(g.InH, "inputShape.H", p.Qh), columns = Size(g.InW, "inputShape.W", p.Qw);
            string shape = g.Dimensions switch
            {
                1 => $"new global::ConvGen.TensorShape(inputShape.N, OutChannels, {columns})",
                3 => $"new global::ConvGen.TensorShape(inputShape.N, OutChannels, {planes}, {rows}, {columns})",
                _ => $"new global::ConvGen.TensorShape(inputShape.N, OutChannels, {rows}, {columns})",
            };
            w.Line(g.Dimensions == 3
                ? $"// Phase {i}: kernel planes {p.Rd} + {g.StrideD}t, rows {p.Rh} + {g.StrideH}t, columns {p.Rw} + {g.StrideW}t ({p.Md}x{p.Mh}x{p.Mw} taps); outputs from ({p.FirstD}, {p.FirstH}, {p.FirstW}), {planes} x {rows} x {columns} of them."
                : $"// Phase {i}: kernel rows {p.Rh} + {g.StrideH}t, columns {p.Rw} + {g.StrideW}t ({p.Mh}x{p.Mw} taps); outputs from ({p.FirstH}, {p.FirstW}), {rows} x {columns} of them.");
            if ((g.InD == 0 && p.Qd < 0) || (g.InH == 0 && p.Qh < 0) || (g.InW == 0 && p.Qw < 0))
            {
                // A small enough input leaves this phase without outputs.
                w.Line($"if ({planes} > 0 && {rows} > 0 && {columns} > 0)");
            }

            w.Line("{");
            w.Indent();
            w.Line($"global::ConvGen.TensorShape phaseShape = {shape};");
            w.Line("int length = (int)phaseShape.ElementCount;");

            w.Line("float[] phase = t_phase is { } buffer && buffer.Length >= length ? buffer : (t_phase = new float[length]);");
            w.Line($"if (parts <= 1) {kernel}.Run(input, inputShape, phase, phaseShape, {PhaseField(i)}, _bias, 0, 1);");
            w.Line($"else global::ConvGen.Internal.KernelThreads.Run(_runners[{i}], input, inputShape, global::System.MemoryExtensions.AsSpan(phase, 0, length), phaseShape, parts);");
            w.Line($"global::ConvGen.Internal.PhaseScatter.Scatter(global::System.MemoryExtensions.AsSpan(phase, 0, length), output, planes, phaseShape.D, phaseShape.H, phaseShape.W, outputShape.D, outputShape.H, outputShape.W, {p.FirstD}, {p.FirstH}, {p.FirstW}, {g.StrideD}, {g.StrideH}, {g.StrideW});");
            w.Outdent();
            w.Line("}");
            i++;
        }
    }

    /// <summary>
    /// The thread-pool entry per phase: a small object per phase, made once per layer, whose RunPart runs that phase's
    /// kernel on its share of the (image, group, tile of filters) items.
    /// </summary>
    public static void WriteRunners(CodeWriter w, KernelPlan plan, string name)
    {
        w.Line();
        w.Line("private global::ConvGen.Internal.IParallelKernel[]? _runners;");
        w.Line();
        using (w.Block("private global::ConvGen.Internal.IParallelKernel[] CreateRunners()"))
        {
            w.Line("var runners = new global::ConvGen.Internal.IParallelKernel[" + LayerEmitter.N(plan.Phases!.Value.Length) + "];");
            w.Line("for (int i = 0; i < runners.Length; i++) runners[i] = new PhaseRunner(this, i);");
            w.Line("return runners;");
        }

        w.Line();
        using (w.Block("private void RunPhase(int index, in global::ConvGen.Internal.KernelCall call, int part, int parts)"))
        {
            w.Line("switch (index)");
            w.Line("{");
            w.Indent();
            int i = 0;
            foreach (PhasePlan p in plan.Phases!.Value)
            {
                string kernel = $"global::{KernelEmitter.KernelNamespace}.{KernelEmitter.KernelClassName(p.Plan)}";
                w.Line($"case {i}: {kernel}.Run(call.Input, call.InputShape, call.Output, call.OutputShape, {PhaseField(i)}, _bias, part, parts); break;");
                i++;
            }

            w.Outdent();
            w.Line("}");
        }

        w.Line();
        using (w.Block("private sealed class PhaseRunner : global::ConvGen.Internal.IParallelKernel"))
        {
            w.Line($"private readonly {name} _layer;");
            w.Line("private readonly int _index;");
            w.Line();
            w.Line($"public PhaseRunner({name} layer, int index) => (_layer, _index) = (layer, index);");
            w.Line();
            w.Line("public void RunPart(in global::ConvGen.Internal.KernelCall call, int part, int parts) => _layer.RunPhase(_index, call, part, parts);");
        }
    }

    /// <summary>A phase's extent: the input size plus its constant, a literal when the size is static.</summary>
    internal static string Size(int input, string runtime, int offset)
        => input > 0 ? LayerEmitter.N(input + offset) : offset == 0 ? runtime : offset > 0 ? $"{runtime} + {offset}" : $"{runtime} - {-offset}";

    /// <summary>The rearrangement: phase weight (oc, icg, th, tw) is PyTorch weight (ci, ocg, Rh + Sh·(Mh−1−th), Rw + Sw·(Mw−1−tw)).</summary>
    public static void WriteArrange(CodeWriter w, KernelPlan plan, LayerGeometry g)
        => WriteArrange(w, plan, g, "ArrangePhaseWeights", PhaseField, "InChannels", "OutChannels",
            "/// <summary>Copies each phase's taps out of the PyTorch-layout weights [Cin, Cout/Groups, Kh, Kw], flipped.</summary>");

    /// <summary>
    /// The rearrangement for <paramref name="plan"/>'s phases into the fields <paramref name="field"/> names, with the
    /// transposed layer's channels given by <paramref name="inChannels"/> and <paramref name="outChannels"/>: a
    /// convolution's input-gradient phases read its OIHW weights as exactly such a transposed layer's.
    /// </summary>
    public static void WriteArrange(CodeWriter w, KernelPlan plan, LayerGeometry g, string method, System.Func<int, string> field, string inChannels, string outChannels, string summary)
    {
        w.Line();
        w.Line(summary);
        using (w.Block($"private void {method}()"))
        {
            w.Line($"int cinG = {inChannels} / {g.Groups}, coutG = {outChannels} / {g.Groups};");
            using (w.Block($"for (int ci = 0; ci < {inChannels}; ci++)"))
            {
                w.Line("int group = ci / cinG, icg = ci % cinG;");
                using (w.Block("for (int j = 0; j < coutG; j++)"))
                {
                    w.Line($"int source = (ci * coutG + j) * {g.KernelD * g.KernelH * g.KernelW};");
                    w.Line("int filter = (group * coutG + j) * cinG + icg;");
                    int i = 0;
                    foreach (PhasePlan p in plan.Phases!.Value)
                    {
                        for (int td = 0; td < p.Md; td++)
                        {
                            for (int th = 0; th < p.Mh; th++)
                            {
                                for (int tw = 0; tw < p.Mw; tw++)
                                {
                                    int kd = p.Rd + g.StrideD * (p.Md - 1 - td), kh = p.Rh + g.StrideH * (p.Mh - 1 - th), kw = p.Rw + g.StrideW * (p.Mw - 1 - tw);
                                    w.Line($"{field(i)}[filter * {p.Md * p.Mh * p.Mw} + {(td * p.Mh + th) * p.Mw + tw}] = _weights[source + {(kd * g.KernelH + kh) * g.KernelW + kw}];");
                                }
                            }
                        }

                        i++;
                    }
                }
            }
        }
    }
}
